package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumWriteTest {

  @Test
  void aRecordOfThreeLogsIsDoneAtTheSecondDurability() {
    QuorumWrite write = new QuorumWrite(2);
    assertThat(write.durable()).as("first log").isFalse();
    assertThat(write.durable()).as("second log: the quorum").isTrue();
    assertThat(write.durable()).as("third log, after the quorum").isFalse();
  }

  @Test
  void exactlyOneCallCompletesTheQuorumWhenLogsRace() throws Exception {
    for (int trial = 0; trial < 200; trial++) {
      QuorumWrite write = new QuorumWrite(2);
      AtomicInteger completions = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> logs = List.of(1, 2, 3).stream().map(i -> new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        if (write.durable()) {
          completions.incrementAndGet();
        }
      })).toList();
      logs.forEach(Thread::start);
      start.countDown();
      for (Thread t : logs) {
        t.join(10_000);
      }
      assertThat(completions.get()).isEqualTo(1);
    }
  }

  @Test
  void quorumLatencyIsTheSecondFastestOfThree() {
    assertThat(QuorumWrite.quorumLatency(new long[] {900, 100, 400}, 2)).isEqualTo(400);
    assertThat(QuorumWrite.quorumLatency(new long[] {50, 50, 3000}, 2)).isEqualTo(50);
    assertThat(QuorumWrite.quorumLatency(new long[] {7, 1, 5, 3, 9}, 3)).isEqualTo(5);
    assertThatThrownBy(() -> QuorumWrite.quorumLatency(new long[] {1, 2}, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quorum 3 of 2");
  }

  @Test
  void threeLogsReportEachAndQuorumLatencies(@TempDir Path dir) throws Exception {
    List<Path> dirs = List.of(dir.resolve("a"), dir.resolve("b"), dir.resolve("c"));
    for (Path d : dirs) {
      Files.createDirectories(d);
    }
    List<LoadResult> results = QuorumDiskCeiling.run(dirs, new LoadStep(4, 64), 0, 0, 300);
    LoadResult each = results.get(0);
    LoadResult quorum = results.get(1);
    assertThat(each.mode()).isEqualTo(QuorumDiskCeiling.EACH);
    assertThat(quorum.mode()).isEqualTo(QuorumDiskCeiling.QUORUM);
    assertThat(quorum.errors()).isZero();
    assertThat(quorum.ops()).isPositive();
    // every quorum-done record was durable in at least two logs (give or take the records at the window's edges)
    assertThat(each.ops()).isGreaterThanOrEqualTo(2 * quorum.ops() - 8);
    assertThat(quorum.p50Us()).isLessThanOrEqualTo(each.maxUs());
    try (var left = Files.list(dirs.get(0))) {
      assertThat(left).as("the logs are deleted").isEmpty();
    }
  }
}
