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
  private static final List<Line> LINES = List.of(CEILING_THREADS, CEILING_CALLBACKS, ZOOKEEPER, ZAB);

  /** The result of {@code system} writing through {@code mode} at (inFlight, payload), if measured. */
  public Optional<LoadResult> find(String system, String mode, int inFlight, int payload) {
    return results.stream()
        .filter(r -> r.system().equals(system) && r.mode().equals(mode)
            && r.inFlight() == inFlight && r.payloadBytes() == payload)
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

  private List<Integer> inFlightLevels() {
    return results.stream()
        .filter(r -> r.payloadBytes() == MAIN_PAYLOAD)
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
    md.append("ops/s = writes acknowledged in the window (after fsync on a quorum); latency = submit to"
        + " acknowledgement at the client. \"writes via\": the server the load client is connected to;"
        + " disk-threads / disk-callbacks = the fsync ceiling (no network, no protocol) driven by C writer threads /"
        + " by the load clients' closed loop with callbacks.\n\n");
    md.append("| system | writes via | in flight | payload | ops/s | p50 ms | p99 ms | p99.9 ms | max ms | errors |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LoadResult r : results) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %,.0f | %s | %s | %s | %s | %d |%n",
          r.system(), r.mode(), r.inFlight(), bytes(r.payloadBytes()), r.opsPerSec(), ms(r.p50Us()),
          ms(r.p99Us()), ms(r.p999Us()), ms(r.maxUs()), r.errors()));
    }
    Map<String, Double> ratios = ratios();
    if (!ratios.isEmpty()) {
      md.append("\n| ratio (1 KiB, writes to the leader) | value |\n|---|---:|\n");
      ratios.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.2f |%n", k, v)));
    }
    if (!memory.isEmpty()) {
      md.append("\n| server memory after the leader-mode load | role | RSS MiB | heap used MiB"
          + " | heap committed MiB | heap live after full GC MiB |\n");
      md.append("|---|---|---:|---:|---:|---:|\n");
      for (ProcessMemory m : memory) {
        md.append(String.format(Locale.ROOT, "| %s server %d | %s | %s | %s | %s | %s |%n", m.system(),
            m.serverId(), m.role(), mib(m.rssKb()), mib(m.heapUsedKb()), mib(m.heapCommittedKb()),
            mib(m.heapLiveKb())));
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
            + " \"p999Us\": %d, \"maxUs\": %d}",
        quote(r.system()), quote(r.mode()), r.inFlight(), r.payloadBytes(), r.ops(), r.seconds(),
        r.opsPerSec(), r.errors(), r.p50Us(), r.p99Us(), r.p999Us(), r.maxUs()))
        .collect(Collectors.joining(",\n")));
    json.append("\n  ],\n  \"ratios\": {");
    json.append(ratios().entrySet().stream()
        .map(e -> quote(e.getKey()) + String.format(Locale.ROOT, ": %.3f", e.getValue()))
        .collect(Collectors.joining(", ")));
    json.append("},\n  \"memory\": [\n");
    json.append(memory.stream().map(m -> String.format(Locale.ROOT,
        "    {\"system\": %s, \"serverId\": %d, \"role\": %s, \"rssKb\": %d, \"heapUsedKb\": %d,"
            + " \"heapCommittedKb\": %d, \"heapLiveKb\": %d}",
        quote(m.system()), m.serverId(), quote(m.role()), m.rssKb(), m.heapUsedKb(), m.heapCommittedKb(),
        m.heapLiveKb()))
        .collect(Collectors.joining(",\n")));
    json.append("\n  ],\n  \"failures\": [");
    json.append(failures.stream().map(BenchReport::quote).collect(Collectors.joining(", ")));
    json.append("]\n}\n");
    return json.toString();
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

  private static String mib(long kb) {
    return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", kb / 1024.0);
  }

  private static String bytes(int n) {
    return n % 1024 == 0 ? (n / 1024) + " KiB" : n + " B";
  }
}
