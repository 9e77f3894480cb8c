package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  /** A task's stat line: utime (field 14) and stime (field 15) in ticks of 10 ms. */
  private static String stat(long tid, String comm, long utime, long stime) {
    return tid + " (" + comm + ") S 1 2 3 4 5 6 7 8 9 10 " + utime + " " + stime + " 0 0 20 0 1 0\n";
  }

  private static String status(long voluntary) {
    return "Name:\tx\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t" + voluntary
        + "\nnonvoluntary_ctxt_switches:\t7\n";
  }

  private static ThreadCpu.Sample sample(long tid, String comm, long ticks, long switches) {
    return ThreadCpu.parse(tid, stat(tid, comm, ticks, 0), status(switches));
  }

  @Test
  void parsesNameCpuAndVoluntarySwitchesOfATask() {
    ThreadCpu.Sample s = ThreadCpu.parse(17, stat(17, "C2 CompilerThre", 30, 12), status(5123));
    assertThat(s).isEqualTo(new ThreadCpu.Sample(17, "C2 CompilerThre", 42 * 10_000_000L, 5123));
    assertThat(ThreadCpu.voluntarySwitches("Name:\tx\n")).isZero();
    assertThat(ThreadCpu.sample(ProcessHandle.current().pid())).isNotEmpty();
  }

  @Test
  void groupsThreadNamesByKind() {
    assertThat(ThreadKind.of("zab-protocol-1")).isEqualTo(ThreadKind.PROTOCOL);
    assertThat(ThreadKind.of("zab-netty-2-1-3")).isEqualTo(ThreadKind.NETTY);
    assertThat(ThreadKind.of("zab-log-writer-")).isEqualTo(ThreadKind.LOG_WRITER);
    assertThat(ThreadKind.of("zab-log-preallo")).isEqualTo(ThreadKind.LOG_WRITER);
    assertThat(ThreadKind.of("zab-apply-3")).isEqualTo(ThreadKind.APPLY);
    assertThat(ThreadKind.of("zab-callback-1")).isEqualTo(ThreadKind.CALLBACK);
    assertThat(ThreadKind.of("zab-snapshot-1")).isEqualTo(ThreadKind.SNAPSHOT);
    assertThat(ThreadKind.of("in-process-load")).isEqualTo(ThreadKind.LOAD);
    assertThat(ThreadKind.of("C1 CompilerThre")).isEqualTo(ThreadKind.JIT);
    assertThat(ThreadKind.of("C2 CompilerThread0")).isEqualTo(ThreadKind.JIT);
    assertThat(ThreadKind.of("GC Thread#1")).isEqualTo(ThreadKind.GC);
    assertThat(ThreadKind.of("G1 Conc#0")).isEqualTo(ThreadKind.GC);
    assertThat(ThreadKind.of("G1 Refine#0")).isEqualTo(ThreadKind.GC);
    assertThat(ThreadKind.of("VM Thread")).isEqualTo(ThreadKind.OTHER);
    assertThat(ThreadKind.of("zab-ticker-1")).isEqualTo(ThreadKind.OTHER);
  }

  @Test
  void windowUseIsTheDifferenceOfTwoSnapshotsByKind() {
    List<ThreadCpu.Sample> open = List.of(
        sample(10, "zab-protocol-1", 100, 1000),
        sample(11, "zab-netty-1-1-1", 50, 400),
        sample(12, "zab-netty-1-1-2", 60, 300),
        sample(13, "C2 CompilerThre", 500, 20), // ends inside the window: cannot be read, not counted
        sample(14, "zab-apply-1", 5, 5)); // its tid is reused by a new thread
    List<ThreadCpu.Sample> close = List.of(
        sample(10, "zab-protocol-1", 130, 1600),
        sample(11, "zab-netty-1-1-1", 70, 500),
        sample(12, "zab-netty-1-1-2", 65, 350),
        sample(14, "zab-snapshot-1", 3, 2), // new in the window: counts whole
        sample(15, "C1 CompilerThre", 4, 9)); // started in the window: counts whole
    Map<ThreadKind, ThreadCpu.Use> use = ThreadCpu.byKind(open, close);
    assertThat(use).containsOnlyKeys(ThreadKind.PROTOCOL, ThreadKind.NETTY, ThreadKind.SNAPSHOT, ThreadKind.JIT);
    assertThat(use.get(ThreadKind.PROTOCOL)).isEqualTo(new ThreadCpu.Use(30 * 10_000_000L, 600));
    assertThat(use.get(ThreadKind.NETTY)).isEqualTo(new ThreadCpu.Use(25 * 10_000_000L, 150));
    assertThat(use.get(ThreadKind.SNAPSHOT)).isEqualTo(new ThreadCpu.Use(3 * 10_000_000L, 2));
    assertThat(use.get(ThreadKind.JIT)).isEqualTo(new ThreadCpu.Use(4 * 10_000_000L, 9));
  }

  @Test
  void threadUseTravelsInTheResultLine() {
    List<ServerThreads> servers = List.of(
        new ServerThreads("leader", Map.of(ThreadKind.PROTOCOL, new ThreadCpu.Use(123_000_000L, 45),
            ThreadKind.LOAD, new ThreadCpu.Use(7, 8))),
        new ServerThreads("follower1", Map.of(ThreadKind.JIT, new ThreadCpu.Use(9, 0))));
    LoadResult r = new LoadResult("zab", "in-process", 256, 1024, 1000, 5.0, 0, 1, 2, 3, 4)
        .withCost(new LoadResult.Cost(3, 10, 5, 1, 2, servers));
    LoadResult back = LoadResult.parseLine(r.toLine());
    assertThat(back.cost().threads()).isEqualTo(servers);
    assertThat(back).isEqualTo(r);
    // lines from before thread use was measured still parse
    assertThat(LoadResult.parseLine(r.withCost(new LoadResult.Cost(3, 10, 5, 1, 2)).toLine()).cost().threads())
        .isEmpty();
  }

  @Test
  void warnsOfAWindowWhoseJitShareExceedsTenPercent() {
    List<ServerThreads> warm = List.of(
        new ServerThreads("leader", Map.of(ThreadKind.PROTOCOL, new ThreadCpu.Use(600, 0),
            ThreadKind.JIT, new ThreadCpu.Use(110, 0))),
        new ServerThreads("follower1", Map.of(ThreadKind.NETTY, new ThreadCpu.Use(290, 0))));
    List<ServerThreads> steady = List.of(
        new ServerThreads("leader", Map.of(ThreadKind.PROTOCOL, new ThreadCpu.Use(910, 0),
            ThreadKind.JIT, new ThreadCpu.Use(90, 0))));
    assertThat(ThreadReport.jitPercent(warm)).isEqualTo(11.0);
    assertThat(ThreadReport.jitPercent(steady)).isEqualTo(9.0);
    assertThat(ThreadReport.jitPercent(List.of())).isEqualTo(-1.0);
    LoadResult base = new LoadResult("zab", "in-process", 256, 1024, 1000, 5.0, 0, 1, 2, 3, 4);
    assertThat(ThreadReport.warnings(List.of(
        base.withCost(new LoadResult.Cost(3, 1, 1, 0, 0, warm)),
        base.withCost(new LoadResult.Cost(3, 1, 1, 0, 0, steady)),
        base)))
        .containsExactly("zab, 3 servers, in-process, 256 in flight, 1024 B: window not at steady state:"
            + " JIT used 11.0% of the servers' CPU");
  }

  @Test
  void tableGivesMsPerSecondMicrosPerWriteAndSwitchesPerThousandWrites() {
    assertThat(ThreadReport.msPerSecond(1_500_000_000L, 10.0)).isEqualTo(150.0);
    assertThat(ThreadReport.usPerWrite(1_500_000_000L, 100_000)).isEqualTo(15.0);
    assertThat(ThreadReport.perThousandWrites(250, 100_000)).isEqualTo(2.5);
    LoadResult r = new LoadResult("zab", "in-process", 256, 1024, 100_000, 10.0, 0, 1, 2, 3, 4)
        .withCost(new LoadResult.Cost(3, 1, 1, 0, 0, List.of(
            new ServerThreads("leader", Map.of(ThreadKind.PROTOCOL, new ThreadCpu.Use(1_500_000_000L, 250))),
            new ServerThreads("follower1", Map.of(ThreadKind.NETTY, new ThreadCpu.Use(500_000_000L, 1000))),
            new ServerThreads("follower2", Map.of(ThreadKind.APPLY, new ThreadCpu.Use(1, 1))))));
    String md = ThreadReport.render(List.of(r));
    assertThat(md)
        .contains("| thread kind | leader ms/s | leader µs/write | leader vol. switches / 1k writes | follower1 ms/s"
            + " | follower1 µs/write | follower1 vol. switches / 1k writes |")
        .contains("| protocol | 150 | 15.00 | 2.5 | 0 | 0.00 | 0.0 |")
        .contains("| netty | 0 | 0.00 | 0.0 | 50 | 5.00 | 10.0 |")
        .contains("| **all threads** | 150 | 15.00 | 2.5 | 50 | 5.00 | 10.0 |")
        .doesNotContain("follower2");
    assertThat(ThreadReport.render(List.of(new LoadResult("zab", "leader", 1, 1024, 1, 1, 0, 1, 1, 1, 1)))).isEmpty();
  }
}
