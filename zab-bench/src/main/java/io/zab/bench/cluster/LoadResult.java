package io.zab.bench.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one load step measured. Client JVMs print it as one {@code RESULT key=value ...} line on stdout;
 * the orchestrator parses those lines back ({@link #parseLine}).
 *
 * @param system  "ceiling", "zookeeper" or "zab"
 * @param mode    where writes enter: "leader", "follower" or "local-disk" (the fsync ceiling)
 * @param ops     successful writes completed inside the measurement window
 * @param errors  failed writes inside the window (never counted in ops)
 * @param p50Us   latency percentiles in microseconds, from submit to acknowledgement
 * @param cost    what the window cost the servers (CPU, GC), where the load ran inside a server; else
 *                {@link Cost#NONE}
 */
public record LoadResult(
    String system,
    String mode,
    int inFlight,
    int payloadBytes,
    long ops,
    double seconds,
    long errors,
    long p50Us,
    long p99Us,
    long p999Us,
    long maxUs,
    Cost cost) {

  static final String PREFIX = "RESULT ";

  /**
   * What the measurement window cost, sampled exactly at its opening and closing by a load that runs inside the
   * leader's JVM ({@code InProcessLoad}); -1 where not measured.
   *
   * @param servers         servers in the cluster
   * @param cpuUsPerOp      CPU time (user + system) of all server processes per acknowledged write, in µs
   * @param leaderCpuUsPerOp the same for the leader's process alone (it includes the load generator)
   * @param gcPauses        GC pauses of the leader's JVM in the window
   * @param gcPauseMs       their total duration
   * @param threads         each server's CPU and voluntary context switches in the window by thread kind, the
   *                        leader first; empty where not measured
   */
  public record Cost(int servers, double cpuUsPerOp, double leaderCpuUsPerOp, long gcPauses, long gcPauseMs,
      List<ServerThreads> threads) {
    public static final Cost NONE = new Cost(-1, -1, -1, -1, -1);

    public Cost {
      threads = List.copyOf(threads);
    }

    public Cost(int servers, double cpuUsPerOp, double leaderCpuUsPerOp, long gcPauses, long gcPauseMs) {
      this(servers, cpuUsPerOp, leaderCpuUsPerOp, gcPauses, gcPauseMs, List.of());
    }
  }

  public LoadResult(String system, String mode, int inFlight, int payloadBytes, long ops, double seconds,
      long errors, long p50Us, long p99Us, long p999Us, long maxUs) {
    this(system, mode, inFlight, payloadBytes, ops, seconds, errors, p50Us, p99Us, p999Us, maxUs, Cost.NONE);
  }

  /** This result with {@code cost}. */
  public LoadResult withCost(Cost c) {
    return new LoadResult(system, mode, inFlight, payloadBytes, ops, seconds, errors, p50Us, p99Us, p999Us, maxUs, c);
  }

  public double opsPerSec() {
    return seconds > 0 ? ops / seconds : 0;
  }

  public String toLine() {
    return PREFIX
        + String.format(
            Locale.ROOT,
            "system=%s mode=%s inFlight=%d payloadBytes=%d ops=%d seconds=%.3f errors=%d"
                + " p50Us=%d p99Us=%d p999Us=%d maxUs=%d",
            system, mode, inFlight, payloadBytes, ops, seconds, errors, p50Us, p99Us, p999Us, maxUs)
        + (cost.equals(Cost.NONE) ? "" : String.format(Locale.ROOT,
            " servers=%d cpuUsPerOp=%.2f leaderCpuUsPerOp=%.2f gcPauses=%d gcPauseMs=%d", cost.servers(),
            cost.cpuUsPerOp(), cost.leaderCpuUsPerOp(), cost.gcPauses(), cost.gcPauseMs()))
        + (cost.threads().isEmpty() ? "" : " threads=" + ServerThreads.encode(cost.threads()));
  }

  /** Parses a line written by {@link #toLine()}; returns null for any other line. */
  public static LoadResult parseLine(String line) {
    if (!line.startsWith(PREFIX)) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : line.substring(PREFIX.length()).trim().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed field '" + pair + "' in result line: " + line);
      }
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    try {
      return new LoadResult(
          need(fields, "system", line),
          need(fields, "mode", line),
          Integer.parseInt(need(fields, "inFlight", line)),
          Integer.parseInt(need(fields, "payloadBytes", line)),
          Long.parseLong(need(fields, "ops", line)),
          Double.parseDouble(need(fields, "seconds", line)),
          Long.parseLong(need(fields, "errors", line)),
          Long.parseLong(need(fields, "p50Us", line)),
          Long.parseLong(need(fields, "p99Us", line)),
          Long.parseLong(need(fields, "p999Us", line)),
          Long.parseLong(need(fields, "maxUs", line)),
          !fields.containsKey("servers") ? Cost.NONE : new Cost(
              Integer.parseInt(need(fields, "servers", line)),
              Double.parseDouble(need(fields, "cpuUsPerOp", line)),
              Double.parseDouble(need(fields, "leaderCpuUsPerOp", line)),
              Long.parseLong(need(fields, "gcPauses", line)),
              Long.parseLong(need(fields, "gcPauseMs", line)),
              ServerThreads.decode(fields.getOrDefault("threads", ""))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("non-numeric field in result line: " + line, e);
    }
  }

  private static String need(Map<String, String> fields, String key, String line) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("field '" + key + "' missing in result line: " + line);
    }
    return value;
  }
}
