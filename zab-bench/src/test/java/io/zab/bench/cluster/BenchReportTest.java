package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

  private static LoadResult result(String system, String mode, int c, long ops, long p50) {
    return new LoadResult(system, mode, c, 1024, ops, 10.0, 0, p50, p50 * 3, p50 * 5, p50 * 6);
  }

  /** One writer's fsync p50 150 µs, loopback round trip p50 50 µs, group commit 20,000/s at 256; then {@code more}. */
  private static List<LoadResult> withOneWriterFloors(LoadResult... more) {
    List<LoadResult> all = new java.util.ArrayList<>(List.of(
        result("ceiling", FsyncCeiling.FSYNC, 1, 5_000, 150),
        result("ceiling", FsyncCeiling.RTT, 1, 10_000, 50),
        result("ceiling", "disk-callbacks", 256, 200_000, 900)));
    all.addAll(List.of(more));
    return all;
  }

  private static BenchReport sample() {
    return new BenchReport("run \"it\"", Map.of("cpus", "2"), 5000, 10000, 123.4,
        List.of(
            result("ceiling", "disk-threads", 1, 30_000, 200),
            result("ceiling", "disk-threads", 256, 1_000_000, 2000),
            result("ceiling", "disk-callbacks", 256, 2_000_000, 1000),
            result("zookeeper", "leader", 1, 5_000, 1000),
            result("zookeeper", "leader", 256, 200_000, 50_000),
            result("zab", "leader", 1, 10_000, 500),
            result("zab", "leader", 256, 500_000, 20_000),
            result("zab", "follower", 256, 400_000, 25_000)),
        List.of(new ProcessMemory("zab", 1, "leader", 204_800, 51_200, 1_048_576, 20_480)),
        List.of("zookeeper: example failure"));
  }

  @Test
  void openLoopStepsAddNoInFlightLevelToTheCharts() {
    BenchReport report = new BenchReport("run", Map.of(), 1000, 1000, 1.0, List.of(
        result("zab", "in-process", 1, 1_000, 700), result("zab", "in-process", 256, 100_000, 5000),
        result("zab", new RateStep(5000, 1024, 4096).mode(), 4096, 50_000, 2000)), List.of(), List.of());
    assertThat(report.inFlightLevels()).containsExactly(1, 256);
  }

  @Test
  void ratiosCompareLeaderModeAtEachLevel() {
    Map<String, Double> ratios = sample().ratios();
    assertThat(ratios.get("zab/zookeeper ops/s, C=1")).isEqualTo(2.0);
    assertThat(ratios.get("zab/zookeeper ops/s, C=256")).isEqualTo(2.5);
    assertThat(ratios.get("zab/(fsync ceiling, C threads) ops/s, C=256")).isEqualTo(0.5);
    assertThat(ratios.get("zab/(fsync ceiling, callbacks) ops/s, C=256")).isEqualTo(0.25);
    assertThat(ratios.get("zookeeper/(fsync ceiling, callbacks) ops/s, C=256")).isEqualTo(0.1);
    assertThat(ratios.get("zab/zookeeper p50 latency, C=1")).isEqualTo(0.5);
  }

  @Test
  void writesJsonMarkdownAndWellFormedSvg(@TempDir Path out) throws Exception {
    String markdown = sample().writeTo(out, "bench-results/");
    assertThat(markdown)
        .contains("| zab | follower | 3 | 256 | 1 KiB | 40,000 | 25.0 | 75.0 | 125.0 | 150.0 | 0 | — | — |")
        .contains("| zab/(fsync ceiling, C threads) ops/s, C=256 | 0.50 |")
        .contains("| zab, 3 servers, server 1 | leader | n/a | 200 | 50 | 1024 | 20 |")
        .contains("- zookeeper: example failure")
        .contains("![throughput](bench-results/cluster-throughput.svg)");
    assertThat(Files.readString(out.resolve("cluster.json")))
        .contains("\"command\": \"run \\\"it\\\"\"")
        .contains("\"opsPerSec\": 50000.0");
    for (String chart : List.of(BenchReport.THROUGHPUT_CHART, BenchReport.LATENCY_CHART)) {
      assertThat(ImageIO.read(out.resolve(chart + ".png").toFile()).getWidth()).isEqualTo(LineChart.WIDTH);
      byte[] bytes = Files.readString(out.resolve(chart + ".svg")).getBytes(StandardCharsets.UTF_8);
      var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
      assertThat(doc.getElementsByTagName("polyline").getLength()).isPositive();
    }
  }

  @Test
  void targetsOfIssue12ComeFromTheSameRun() {
    LoadResult.Cost three = new LoadResult.Cost(3, 40, 20, 2, 5);
    LoadResult.Cost five = new LoadResult.Cost(5, 60, 24, 2, 5);
    BenchReport report = new BenchReport("run", Map.of(), 1000, 1000, 1.0,
        withOneWriterFloors(
            result("zab", "in-process", 1, 2_000, 400).withCost(three),
            result("zab", "in-process", 256, 130_000, 1_500).withCost(three),
            result("zab", "in-process", 256, 100_000, 2_000).withCost(five)),
        List.of(new ProcessMemory("zab", 3, 1, "leader", 300 << 10, 400 << 10, 0, 0, 0, Map.of(), Map.of())),
        List.of());
    Map<String, BenchReport.Target> byName = new java.util.LinkedHashMap<>();
    report.targets("zab").forEach(t -> byName.put(t.name().replaceAll(" \\(.*", ""), t));
    assertThat(byName.get("p50 at C=1 / floor").value()).isEqualTo(2.0); // 400 / (150 + 50)
    assertThat(byName.get("p50 at C=1 / floor").met()).isFalse();
    assertThat(byName.get("ops/s at C=256 / one writer's group commit").value()).isEqualTo(0.65);
    assertThat(byName.get("ops/s at C=256 / one writer's group commit").met()).isTrue();
    assertThat(byName.get("p99.9 at C=256, ms").value()).isEqualTo(7.5);
    assertThat(byName.get("peak RSS of a server").value()).isEqualTo(400.0);
    assertThat(byName.get("leader CPU per write at C=256, 5 / 3 servers").value()).isEqualTo(1.2);
    assertThat(report.targets("zab-base")).isEmpty();
  }

  @Test
  void targetsAreAlsoJudgedAgainstTheThreeLogQuorumFloorOfTheRun() {
    LoadResult.Cost three = new LoadResult.Cost(3, 40, 20, 2, 5);
    BenchReport report = new BenchReport("run", Map.of(), 1000, 1000, 1.0,
        withOneWriterFloors(
            result("zab", "in-process", 1, 2_000, 400).withCost(three), // p50 400 µs
            result("zab", "in-process", 256, 90_000, 1_500).withCost(three), // 9,000/s, p99.9 7.5 ms
            result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM, 1, 5_000, 270), // quorum p50 0.27 ms
            result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM, 256, 120_000, 2_000), // 12,000/s
            result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM + "-9000/s", 256, 90_000, 1_000)), // 5 ms
        List.of(), List.of());
    Map<String, BenchReport.Target> byName = new java.util.LinkedHashMap<>();
    report.targets("zab").forEach(t -> byName.put(t.name().replaceAll(" \\(.*", ""), t));
    // the one-writer rows stay
    assertThat(byName.get("ops/s at C=256 / one writer's group commit").value()).isEqualTo(0.45);
    assertThat(byName.get("p50 at C=1 / floor").value()).isEqualTo(2.0);
    assertThat(byName.get("ops/s at C=256 / three-log quorum floor at C=256").value()).isEqualTo(0.75);
    assertThat(byName.get("ops/s at C=256 / three-log quorum floor at C=256").met()).isTrue();
    assertThat(byName.get("p50 at C=1 / quorum floor").value()).isEqualTo(400.0 / (270 + 50));
    assertThat(byName.get("p50 at C=1 / quorum floor").met()).isTrue();
    assertThat(byName.get("p99.9 at C=256 / three-log quorum p99.9 at zab's rate").value()).isEqualTo(1.5);
    assertThat(byName.get("p99.9 at C=256 / three-log quorum p99.9 at zab's rate").name()).contains("quorum-9000/s");
  }

  @Test
  void eachSystemIsJudgedAgainstTheFloorsMeasuredRightAfterItsOwnSteps() {
    LoadResult.Cost three = new LoadResult.Cost(3, 40, 20, 2, 5);
    LoadResult baseTop = result("zab-base", "in-process", 256, 60_000, 1_500).withCost(three);
    LoadResult zabOne = result("zab", "in-process", 1, 2_000, 400).withCost(three);
    LoadResult zabTop = result("zab", "in-process", 256, 90_000, 1_500).withCost(three);
    LoadResult baseFloor = result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM, 256, 200_000, 2_000);
    LoadResult zabFloorOne = result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM, 1, 5_000, 270);
    LoadResult zabFloor = result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM, 256, 120_000, 2_000);
    LoadResult zabAtRate = result(QuorumDiskCeiling.SYSTEM, QuorumDiskCeiling.QUORUM + "-9000/s", 256, 90_000, 1_000);
    List<LoadResult> results = withOneWriterFloors(baseTop, baseFloor, zabOne, zabTop, zabFloorOne, zabFloor,
        zabAtRate, result("zab-base", "in-process", 1, 2_000, 500).withCost(three));
    assertThat(FloorReport.floorsAfter(results, baseTop)).containsExactly(baseFloor);
    assertThat(FloorReport.floorsAfter(results, zabOne)).containsExactly(zabFloorOne, zabFloor, zabAtRate);
    assertThat(FloorReport.floorsAfter(results, zabTop)).containsExactly(zabFloorOne, zabFloor, zabAtRate);
    assertThat(FloorReport.floorsAfter(results, results.get(results.size() - 1))).isEmpty();

    BenchReport report = new BenchReport("run", Map.of(), 1000, 1000, 1.0, results, List.of(), List.of());
    Map<String, BenchReport.Target> byName = new java.util.LinkedHashMap<>();
    report.targets("zab").forEach(t -> byName.put(t.name().replaceAll(" \\(.*", ""), t));
    // 9,000/s against zab's own floor of 12,000/s, not the baseline's 20,000/s (which came first)
    assertThat(byName.get("ops/s at C=256 / three-log quorum floor at C=256").value()).isEqualTo(0.75);
    String md = FloorReport.render(results, List.of(), "n/a");
    assertThat(md).contains("- zab at 256 in flight against the quorum floor (quorum): p99 0.75×")
        .contains("- zab-base at 256 in flight against the quorum floor (quorum): p99 0.75×")
        .doesNotContain("- zab-base at 256 in flight against the quorum floor (quorum-9000/s)");
    // zab-base at 256: its one floor; zab at 1: its C=1 floor; zab at 256: quorum and quorum-9000/s
    assertThat(md.split("against the quorum floor", -1)).hasSize(1 + 4);
  }

  @Test
  void parsesNativeMemoryAndClassHistogram() {
    String nmt = "Total: reserved=2000000KB, committed=300000KB\n"
        + "-                 Java Heap (reserved=1048576KB, committed=200000KB)\n"
        + "                            (mmap: reserved=1048576KB, committed=200000KB)\n"
        + "-                     Other (reserved=9000KB, committed=9000KB)\n";
    assertThat(ProcessMemory.parseNmt(nmt)).containsEntry("Total", 300000L).containsEntry("Java Heap", 200000L)
        .containsEntry("Other", 9000L).hasSize(3);
    String histogram = "   1:         64696        4796872  [B (java.base@17.0.15)\n"
        + "  12:         10240         245760  io.zab.wire.Txn\n";
    assertThat(ProcessMemory.parseHistogram(histogram, "io.zab.wire.Txn")).containsExactly(10240, 245760);
    assertThat(ProcessMemory.parseHistogram(histogram, "[B")).containsExactly(64696, 4796872);
    assertThat(ProcessMemory.parseHistogram(histogram, "x.Y")).containsExactly(0, 0);
  }

  @Test
  void readsCpuTimeOfAProcess() {
    // pid (comm with spaces) state ppid ... utime=field 14, stime=field 15, in ticks of 10 ms
    String stat = "42 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1 0";
    assertThat(ProcessCpu.parseStat(stat)).isEqualTo(200 * 10_000_000L);
    assertThat(ProcessCpu.nanos(ProcessHandle.current().pid())).isPositive();
  }

  @Test
  void docsAreUpdatedOnlyBetweenMarkers(@TempDir Path dir) throws Exception {
    Path docs = dir.resolve("b.md");
    Files.writeString(docs, "intro\n" + ClusterBench.DOCS_BEGIN + "\nold\n" + ClusterBench.DOCS_END + "\nafter\n");
    ClusterBench.updateDocs(docs, "NEW TABLE\n");
    assertThat(Files.readString(docs)).isEqualTo(
        "intro\n" + ClusterBench.DOCS_BEGIN + "\nNEW TABLE\n" + ClusterBench.DOCS_END + "\nafter\n");
  }

  @Test
  void parsesJcmdHeapInfoAndReadsOwnRss() {
    long[] heap = ProcessMemory.parseHeapInfo(
        " garbage-first heap   total 1048576K, used 52345K [0x00000000c0000000, 0x0000000100000000)\n");
    assertThat(heap).containsExactly(52345, 1048576);
    assertThat(ProcessMemory.parseHeapInfo("no heap here")).containsExactly(-1, -1);
    assertThat(ProcessMemory.rssKb(ProcessHandle.current().pid())).isPositive();
  }
}
