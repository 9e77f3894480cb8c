package io.zab.bench.cluster;

import java.util.LinkedHashMap;
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
    long maxUs) {

  static final String PREFIX = "RESULT ";

  public double opsPerSec() {
    return seconds > 0 ? ops / seconds : 0;
  }

  public String toLine() {
    return PREFIX
        + String.format(
            Locale.ROOT,
            "system=%s mode=%s inFlight=%d payloadBytes=%d ops=%d seconds=%.3f errors=%d"
                + " p50Us=%d p99Us=%d p999Us=%d maxUs=%d",
            system, mode, inFlight, payloadBytes, ops, seconds, errors, p50Us, p99Us, p999Us, maxUs);
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
          Long.parseLong(need(fields, "maxUs", line)));
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
