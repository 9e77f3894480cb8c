package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Everything one cluster-benchmark run measured, and its renderings: {@code cluster.json},
 * {@code cluster.md} (tables and ratios) and two SVG charts.
 */
public record BenchReport(
    String command,
    Map<String, String> environment,
    long warmupMs,
    long measureMs,
    double totalSeconds,
    List<LoadResult> results,
    List<ProcessMemory> memory,
    List<String> failures) {

  static final String THROUGHPUT_CHART = "cluster-throughput";
  static final String LATENCY_CHART = "cluster-latency";
  private static final int MAIN_PAYLOAD = 1024;

  /** One line of the charts: a system written to in one mode, 1 KiB payloads, across the in-flight levels. */
  private record Line(String label, String system, String mode, String color, boolean dashed) {}

  private static final Line CEILING_THREADS =
      new Line("fsync ceiling, C threads", FsyncCeiling.SYSTEM, FsyncCeiling.THREADS, "#999999", true);
  private static final Line CEILING_CALLBACKS =
      new Line("fsync ceiling, callbacks", FsyncCeiling.SYSTEM, FsyncCeiling.CALLBACKS, "#333333", true);
  private static final Line ZOOKEEPER = new Line("ZooKeeper 3.9.5", "zookeeper", "leader", "#d62728", false);
  private static final Line ZAB = new Line("zab", "zab", "leader", "#1f77b4", false);
  private static final Line ZAB_IN_PROCESS =
      new Line("zab, submit in the leader's JVM", "zab", "in-process", "#2ca02c", false);
  private static final List<Line> LINES = List.of(CEILING_THREADS, CEILING_CALLBACKS, ZOOKEEPER, ZAB, ZAB_IN_PROCESS);
  static final String IN_PROCESS = "in-process";

  /**
   * One target of issue 12, computed from results of this run: a value, the bound it should meet, and whether a
   * larger value is better.
   */
  public record Target(String name, double value, double bound, boolean higherIsBetter, String unit) {
    public boolean met() {
      return higherIsBetter ? value >= bound : value <= bound;
    }
  }

  /** The result of {@code system} writing through {@code mode} at (inFlight, payload), if measured (3 servers). */
  public Optional<LoadResult> find(String system, String mode, int inFlight, int payload) {
    return find(system, mode, inFlight, payload, 3);
  }

  /** The same on a cluster of {@code servers} (only in-process results say how many; the others ran on 3). */
  public Optional<LoadResult> find(String system, String mode, int inFlight, int payload, int servers) {
    return results.stream()
        .filter(r -> r.system().equals(system) && r.mode().equals(mode)
            && r.inFlight() == inFlight && r.payloadBytes() == payload && serversOf(r) == servers)
        .findFirst();
  }

  private static int serversOf(LoadResult r) {
    return r.cost().servers() > 0 ? r.cost().servers() : 3;
  }

  /**
   * Issue 12's targets for {@code system} ("zab", or "zab-base" for a baseline build in the same run), each
   * computed from results of this run; a target whose inputs were not measured is left out.
   */
  public List<Target> targets(String system) {
    List<Target> targets = new ArrayList<>();
    Optional<LoadResult> one = find(system, IN_PROCESS, 1, MAIN_PAYLOAD);
    Optional<LoadResult> fsync = find(FsyncCeiling.SYSTEM, FsyncCeiling.FSYNC, 1, MAIN_PAYLOAD);
    Optional<LoadResult> rtt = find(FsyncCeiling.SYSTEM, FsyncCeiling.RTT, 1, MAIN_PAYLOAD);
    if (one.isPresent() && fsync.isPresent() && rtt.isPresent()) {
      double floor = fsync.get().p50Us() + rtt.get().p50Us();
      targets.add(new Target(String.format(Locale.ROOT, "p50 at C=1 / floor (fsync p50 %s + round trip p50 %s ms)",
          ms(fsync.get().p50Us()), ms(rtt.get().p50Us())), one.get().p50Us() / floor, 1.5, false, "x"));
    }
    Optional<LoadResult> top = find(system, IN_PROCESS, 256, MAIN_PAYLOAD);
    Optional<LoadResult> ceiling = main(CEILING_CALLBACKS, 256);
    if (top.isPresent() && ceiling.isPresent() && ceiling.get().opsPerSec() > 0) {
      targets.add(new Target(String.format(Locale.ROOT, "ops/s at C=256 / one writer's group commit (%,.0f/s)",
          ceiling.get().opsPerSec()), top.get().opsPerSec() / ceiling.get().opsPerSec(), 0.6, true, "x"));
    }
    top.ifPresent(t -> targets.add(new Target("p99.9 at C=256, ms", t.p999Us() / 1000.0, 10, false, "ms")));
    quorumFloorTargets(system, targets);
    memory.stream().filter(m -> m.system().equals(system) && m.servers() == 3).mapToLong(ProcessMemory::peakRssKb)
        .max().ifPresent(kb -> targets.add(new Target("peak RSS of a server (3 servers), MiB", kb / 1024.0, 512,
            false, "MiB")));
    for (int servers : List.of(5, 7)) {
      Optional<LoadResult> three = find(system, IN_PROCESS, 256, MAIN_PAYLOAD, 3);
      Optional<LoadResult> more = find(system, IN_PROCESS, 256, MAIN_PAYLOAD, servers);
      if (three.isPresent() && more.isPresent() && three.get().cost().leaderCpuUsPerOp() > 0) {
        targets.add(new Target("leader CPU per write at C=256, " + servers + " / 3 servers",
            more.get().cost().leaderCpuUsPerOp() / three.get().cost().leaderCpuUsPerOp(), servers == 5 ? 1.25 : 1.5,
            false, "x"));
      }
    }
    return targets;
  }

  /**
   * The same three targets against the floor of a 3-server commit on this disk, measured in this run: three logs
   * group-committing at once, a record done at 2 of 3 ({@link QuorumDiskCeiling}). The servers' logs share one
   * disk, so one writer's group commit is not what they can reach; the bounds are those of the one-writer rows.
   */
  private void quorumFloorTargets(String system, List<Target> targets) {
    Optional<LoadResult> top = find(system, IN_PROCESS, 256, MAIN_PAYLOAD);
    Optional<LoadResult> quorumTop = floorAfter(top, QuorumDiskCeiling.QUORUM::equals, 256);
    if (top.isPresent() && quorumTop.isPresent() && quorumTop.get().opsPerSec() > 0) {
      targets.add(new Target(String.format(Locale.ROOT, "ops/s at C=256 / three-log quorum floor at C=256"
          + " (%,.0f records/s)", quorumTop.get().opsPerSec()), top.get().opsPerSec() / quorumTop.get().opsPerSec(),
          0.6, true, "x"));
    }
    Optional<LoadResult> one = find(system, IN_PROCESS, 1, MAIN_PAYLOAD);
    Optional<LoadResult> quorumOne = floorAfter(one, QuorumDiskCeiling.QUORUM::equals, 1);
    Optional<LoadResult> rtt = find(FsyncCeiling.SYSTEM, FsyncCeiling.RTT, 1, MAIN_PAYLOAD);
    if (one.isPresent() && quorumOne.isPresent() && rtt.isPresent()) {
      double floor = quorumOne.get().p50Us() + rtt.get().p50Us();
      if (floor > 0) {
        targets.add(new Target(String.format(Locale.ROOT, "p50 at C=1 / quorum floor (three-log quorum p50 %s"
                + " + round trip p50 %s ms)", ms(quorumOne.get().p50Us()), ms(rtt.get().p50Us())),
            one.get().p50Us() / floor, 1.5, false, "x"));
      }
    }
    // the disk's tail at the rate zab reached: at its closed-loop maximum the disk's tail would be longer
    Optional<LoadResult> quorumAtRate = floorAfter(top, mode -> mode.startsWith(QuorumDiskCeiling.QUORUM + "-"), 256)
        .filter(r -> r.p999Us() > 0);
    if (top.isPresent() && quorumAtRate.isPresent()) {
      targets.add(new Target(String.format(Locale.ROOT, "p99.9 at C=256 / three-log quorum p99.9 at zab's rate"
              + " (%s, %s ms)", quorumAtRate.get().mode(), ms(quorumAtRate.get().p999Us())),
          (double) top.get().p999Us() / quorumAtRate.get().p999Us(), 1.5, false, "x"));
    }
  }

  /** The floor row of {@code mode} at {@code inFlight} measured right after {@code zab}'s steps (run order). */
  private Optional<LoadResult> floorAfter(Optional<LoadResult> zab, Predicate<String> mode, int inFlight) {
    return zab.stream().flatMap(z -> FloorReport.floorsAfter(results, z).stream())
        .filter(r -> mode.test(r.mode()) && r.inFlight() == inFlight && r.payloadBytes() == MAIN_PAYLOAD)
        .findFirst();
  }

  private Optional<LoadResult> main(Line line, int inFlight) {
    return find(line.system(), line.mode(), inFlight, MAIN_PAYLOAD);
  }

  /** Ratios the brief asks for, by name; a ratio whose inputs were not measured is left out. */
  public Map<String, Double> ratios() {
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (int c : inFlightLevels()) {
      putRatio(ratios, "zab/zookeeper ops/s, C=" + c, main(ZAB, c), main(ZOOKEEPER, c), LoadResult::opsPerSec);
    }
    int top = inFlightLevels().stream().mapToInt(Integer::intValue).max().orElse(256);
    for (Line system : List.of(ZAB, ZOOKEEPER)) {
      for (Line ceiling : List.of(CEILING_THREADS, CEILING_CALLBACKS)) {
        putRatio(ratios, system.system() + "/(" + ceiling.label() + ") ops/s, C=" + top, main(system, top),
            main(ceiling, top), LoadResult::opsPerSec);
      }
    }
    putRatio(ratios, "zab/zookeeper p50 latency, C=1", main(ZAB, 1), main(ZOOKEEPER, 1), LoadResult::p50Us);
    return ratios;
  }

  private static void putRatio(Map<String, Double> ratios, String name, Optional<LoadResult> top,
      Optional<LoadResult> bottom, ToDoubleFunction<LoadResult> metric) {
    if (top.isPresent() && bottom.isPresent() && metric.applyAsDouble(bottom.get()) > 0) {
      ratios.put(name, metric.applyAsDouble(top.get()) / metric.applyAsDouble(bottom.get()));
    }
  }

  /** The closed-loop in-flight levels measured at 1 KiB (an open-loop step's in-flight bound is no level). */
  List<Integer> inFlightLevels() {
    return results.stream()
        .filter(r -> r.payloadBytes() == MAIN_PAYLOAD && !r.mode().startsWith("open-"))
        .map(LoadResult::inFlight)
        .distinct()
        .sorted()
        .toList();
  }

  /** Writes cluster.json, cluster.md and the charts into {@code out}; returns the markdown. */
  public String writeTo(Path out, String chartLinkPrefix) throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("cluster.json"), toJson());
    for (Map.Entry<String, LineChart> chart :
        Map.of(THROUGHPUT_CHART, throughputChart(), LATENCY_CHART, latencyChart()).entrySet()) {
      Files.writeString(out.resolve(chart.getKey() + ".svg"), chart.getValue().toSvg());
      Files.write(out.resolve(chart.getKey() + ".png"), chart.getValue().toPng());
    }
    String markdown = toMarkdown(chartLinkPrefix);
    Files.writeString(out.resolve("cluster.md"), markdown);
    return markdown;
  }

  String toMarkdown(String chartLinkPrefix) {
    StringBuilder md = new StringBuilder();
    md.append("Command: `").append(command).append("`  \n");
    md.append(String.format(Locale.ROOT, "Warm-up %d ms, measurement %d ms per point; whole run %.0f s.  %n",
        warmupMs, measureMs, totalSeconds));
    md.append("Machine: ").append(environment.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "))).append("\n\n");
    for (String warning : ThreadReport.warnings(results)) {
      md.append("**Warning** ").append(warning).append(".  \n");
    }
    md.append("ops/s = writes acknowledged in the window (after fsync on a quorum); latency = submit to"
        + " acknowledgement at the client. \"writes via\": the server the load client is connected to;"
        + " disk-threads / disk-callbacks = the fsync ceiling (no network, no protocol) driven by C writer threads /"
        + " by the load clients' closed loop with callbacks.\n\n");
    md.append("| system | writes via | servers | in flight | payload | ops/s | p50 ms | p99 ms | p99.9 ms | max ms"
        + " | errors | CPU µs/write (all, leader) | leader GC pauses (n, ms) |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LoadResult r : results) {
      LoadResult.Cost c = r.cost();
      boolean costed = c.servers() > 0;
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %,.0f | %s | %s | %s | %s | %d | %s | %s |%n",
          r.system(), r.mode(), r.system().equals(FsyncCeiling.SYSTEM) ? "—" : Integer.toString(serversOf(r)),
          r.inFlight(), bytes(r.payloadBytes()), r.opsPerSec(), ms(r.p50Us()), ms(r.p99Us()), ms(r.p999Us()),
          ms(r.maxUs()), r.errors(),
          costed ? String.format(Locale.ROOT, "%.1f, %.1f", c.cpuUsPerOp(), c.leaderCpuUsPerOp()) : "—",
          costed ? c.gcPauses() + ", " + c.gcPauseMs() : "—"));
    }
    md.append(ThreadReport.render(results));
    for (String system : List.of("zab", "zab-base")) {
      List<Target> targets = targets(system);
      if (!targets.isEmpty()) {
        md.append("\nEach target is judged twice where the floors were measured: against one writer on this disk"
            + " (its group commit at 256 in flight; its fsync p50 + the loopback round trip p50 at one in flight; 10 ms"
            + " for the p99.9) and against the three-log quorum floor of this run (`disk-quorum`, three logs"
            + " group-committing on the one disk, a record done at 2 of 3: ops/s at 256 / its quorum records/s at 256;"
            + " p50 at 1 / (its quorum p50 at 1 + the loopback round trip p50); p99.9 at 256 / its quorum p99.9 open"
            + " loop at the rate zab reached), with the same bounds (0.6, 1.5; 1.5 for the p99.9 ratio).\n");
        md.append("\n| issue 12 target, ").append(system).append(" (submit in the leader's JVM, 1 KiB)")
            .append(" | value | bound | met |\n|---|---:|---:|---|\n");
        for (Target t : targets) {
          md.append(String.format(Locale.ROOT, "| %s | %.2f | %s %s | %s |%n", t.name(), t.value(),
              t.higherIsBetter() ? "≥" : "≤", fmt(t.bound()), t.met() ? "yes" : "no"));
        }
      }
    }
    Map<String, Double> ratios = ratios();
    if (!ratios.isEmpty()) {
      md.append("\n| ratio (1 KiB, writes to the leader) | value |\n|---|---:|\n");
      ratios.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.2f |%n", k, v)));
    }
    if (!memory.isEmpty()) {
      md.append("\n| server memory after the load (MiB) | role | peak RSS | RSS | heap used | heap committed"
          + " | heap live after full GC | NMT: heap | threads | code | class | GC | other (direct buffers)"
          + " | direct buffers (in use) | Netty pool (in use) | zab: log in memory, peak (txns) | zab: apply + log"
          + " backlog, peak | zab: in flight to followers, peak |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (ProcessMemory m : memory) {
        md.append(String.format(Locale.ROOT, "| %s, %d servers, server %d | %s | %s | %s | %s | %s | %s | %s | %s"
                + " | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", m.system(), m.servers(), m.serverId(), m.role(),
            mib(m.peakRssKb()), mib(m.rssKb()), mib(m.heapUsedKb()), mib(m.heapCommittedKb()), mib(m.heapLiveKb()),
            mib(m.nmtKb().getOrDefault("Java Heap", -1L)), mib(m.nmtKb().getOrDefault("Thread", -1L)),
            mib(m.nmtKb().getOrDefault("Code", -1L)), mib(m.nmtKb().getOrDefault("Class", -1L)),
            mib(m.nmtKb().getOrDefault("GC", -1L)), mib(m.nmtKb().getOrDefault("Other", -1L)),
            mib(m.inside().getOrDefault("directBuffersKb", -1L)), mib(m.inside().getOrDefault("nettyDirectKb", -1L)),
            logInMemory(m.inside()), mib(sumOrMissing(m.inside(), "applyBacklogKbPeak", "logBacklogKbPeak")),
            mib(m.inside().getOrDefault("followersInFlightKbPeak", -1L))));
      }
    }
    if (!failures.isEmpty()) {
      md.append("\nFailures in this run:\n");
      failures.forEach(f -> md.append("- ").append(f).append('\n'));
    }
    md.append("\n![throughput](").append(chartLinkPrefix).append(THROUGHPUT_CHART).append(".svg)\n");
    md.append("![latency](").append(chartLinkPrefix).append(LATENCY_CHART).append(".svg)\n");
    return md.toString();
  }

  /** The in-memory log's peak payload MiB and txn count, or "—" where the server does not report it. */
  private static String logInMemory(Map<String, Long> inside) {
    Long kb = inside.get("logInMemoryKbPeak");
    Long txns = inside.get("logInMemoryTxnsPeak");
    return kb == null || txns == null ? mib(-1) : mib(kb) + " (" + txns + ")";
  }

  private static long sumOrMissing(Map<String, Long> m, String a, String b) {
    return m.containsKey(a) && m.containsKey(b) ? m.get(a) + m.get(b) : -1;
  }

  private LineChart throughputChart() {
    List<Integer> levels = inFlightLevels();
    List<LineChart.Series> series = new ArrayList<>();
    for (Line line : LINES) {
      series.add(new LineChart.Series(line.label(), line.color(), line.dashed(),
          perLevel(line, levels, LoadResult::opsPerSec)));
    }
    return new LineChart("Writes/s vs requests in flight (1 KiB, 3 servers, fsync on)",
        "requests in flight (C)", levels.stream().map(String::valueOf).toList(), "acknowledged writes/s",
        false, series);
  }

  private LineChart latencyChart() {
    List<Integer> levels = inFlightLevels();
    List<LineChart.Series> series = new ArrayList<>();
    for (Line line : LINES) {
      series.add(new LineChart.Series(line.label() + " p50", line.color(), false,
          perLevel(line, levels, r -> r.p50Us() / 1000.0)));
      series.add(new LineChart.Series(line.label() + " p99", line.color(), true,
          perLevel(line, levels, r -> r.p99Us() / 1000.0)));
    }
    return new LineChart("Write latency vs requests in flight (1 KiB)", "requests in flight (C)",
        levels.stream().map(String::valueOf).toList(), "latency, ms (log scale)", true, series);
  }

  /** {@code metric} of {@code line}'s result at each level; NaN where it was not measured. */
  private double[] perLevel(Line line, List<Integer> levels, ToDoubleFunction<LoadResult> metric) {
    return levels.stream().mapToDouble(c -> main(line, c).map(metric::applyAsDouble).orElse(Double.NaN))
        .toArray();
  }

  String toJson() {
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"command\": ").append(quote(command)).append(",\n");
    json.append("  \"environment\": {");
    json.append(environment.entrySet().stream().map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
        .collect(Collectors.joining(", "))).append("},\n");
    json.append("  \"warmupMs\": ").append(warmupMs).append(",\n");
    json.append("  \"measureMs\": ").append(measureMs).append(",\n");
    json.append(String.format(Locale.ROOT, "  \"totalSeconds\": %.1f,%n", totalSeconds));
    json.append("  \"results\": [\n");
    json.append(results.stream().map(r -> String.format(Locale.ROOT,
        "    {\"system\": %s, \"mode\": %s, \"inFlight\": %d, \"payloadBytes\": %d, \"ops\": %d,"
            + " \"seconds\": %.3f, \"opsPerSec\": %.1f, \"errors\": %d, \"p50Us\": %d, \"p99Us\": %d,"
            + " \"p999Us\": %d, \"maxUs\": %d, \"servers\": %d, \"cpuUsPerOp\": %.2f,"
            + " \"leaderCpuUsPerOp\": %.2f, \"gcPauses\": %d, \"gcPauseMs\": %d, \"jitPercent\": %.1f,"
            + " \"threads\": %s}",
        quote(r.system()), quote(r.mode()), r.inFlight(), r.payloadBytes(), r.ops(), r.seconds(),
        r.opsPerSec(), r.errors(), r.p50Us(), r.p99Us(), r.p999Us(), r.maxUs(), serversOf(r), r.cost().cpuUsPerOp(),
        r.cost().leaderCpuUsPerOp(), r.cost().gcPauses(), r.cost().gcPauseMs(),
        ThreadReport.jitPercent(r.cost().threads()), quote(ServerThreads.encode(r.cost().threads()))))
        .collect(Collectors.joining(",\n")));
    json.append("\n  ],\n  \"ratios\": {");
    json.append(ratios().entrySet().stream()
        .map(e -> quote(e.getKey()) + String.format(Locale.ROOT, ": %.3f", e.getValue()))
        .collect(Collectors.joining(", ")));
    json.append("},\n  \"memory\": [\n");
    json.append(memory.stream().map(m -> String.format(Locale.ROOT,
        "    {\"system\": %s, \"servers\": %d, \"serverId\": %d, \"role\": %s, \"rssKb\": %d,"
            + " \"peakRssKb\": %d, \"heapUsedKb\": %d, \"heapCommittedKb\": %d, \"heapLiveKb\": %d,"
            + " \"nmtKb\": %s, \"inside\": %s}",
        quote(m.system()), m.servers(), m.serverId(), quote(m.role()), m.rssKb(), m.peakRssKb(), m.heapUsedKb(),
        m.heapCommittedKb(), m.heapLiveKb(), jsonMap(m.nmtKb()), jsonMap(m.inside())))
        .collect(Collectors.joining(",\n")));
    json.append("\n  ],\n  \"failures\": [");
    json.append(failures.stream().map(BenchReport::quote).collect(Collectors.joining(", ")));
    json.append("]\n}\n");
    return json.toString();
  }

  private static String jsonMap(Map<String, Long> m) {
    return m.entrySet().stream().map(e -> quote(e.getKey()) + ": " + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }

  private static String ms(long us) {
    return String.format(Locale.ROOT, us < 10_000 ? "%.2f" : "%.1f", us / 1000.0);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String mib(long kb) {
    return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", kb / 1024.0);
  }

  private static String bytes(int n) {
    return n % 1024 == 0 ? (n / 1024) + " KiB" : n + " B";
  }
}
