package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosedLoopTest {

  @Test
  void neverHasMoreThanInFlightOutstandingAndCountsEveryAck() throws Exception {
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger maxOutstanding = new AtomicInteger();
    ExecutorService acker = Executors.newFixedThreadPool(4);
    try {
      ClosedLoop.AsyncWriter writer = (payload, done) -> {
        maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
        acker.execute(() -> {
          outstanding.decrementAndGet();
          done.complete(payload.length == 64);
        });
      };
      LoadResult result = ClosedLoop.run("test", "leader", writer, new LoadStep(8, 64), 0, 200);
      assertThat(maxOutstanding.get()).isBetween(1, 8);
      assertThat(result.ops()).isPositive();
      assertThat(result.errors()).isZero();
      assertThat(result.p50Us()).isPositive();
      assertThat(result.inFlight()).isEqualTo(8);
    } finally {
      acker.shutdownNow();
    }
  }

  @Test
  void failedWritesAreErrorsNotOps() throws Exception {
    LoadResult result = ClosedLoop.run("test", "leader", (payload, done) -> done.complete(false),
        new LoadStep(2, 16), 0, 200);
    assertThat(result.ops()).isZero();
    assertThat(result.errors()).isPositive();
  }

  @Test
  void writerThatThrowsCountsAsError() throws Exception {
    LoadResult result = ClosedLoop.run("test", "leader", (payload, done) -> {
      throw new IllegalStateException("not connected");
    }, new LoadStep(1, 16), 0, 200);
    assertThat(result.ops()).isZero();
    assertThat(result.errors()).isPositive();
  }

  @Test
  void fsyncCeilingRunsBothWaysAndCleansUp(@TempDir Path dir) throws Exception {
    // how many fsyncs fit in the window depends on the disk; only the shape of the result is checked
    LoadResult threads = FsyncCeiling.runThreads(dir.resolve("t"), new LoadStep(4, 128), 0, 100);
    assertThat(threads.mode()).isEqualTo(FsyncCeiling.THREADS);
    assertThat(threads.inFlight()).isEqualTo(4);
    LoadResult callbacks = FsyncCeiling.runCallbacks(dir.resolve("c"), new LoadStep(4, 128), 0, 100);
    assertThat(callbacks.mode()).isEqualTo(FsyncCeiling.CALLBACKS);
    assertThat(callbacks.errors()).isZero();
    assertThat(dir.resolve("t")).doesNotExist();
    assertThat(dir.resolve("c")).doesNotExist();
  }

  @Test
  void floorsTimeOneFsyncAndOneRoundTrip(@TempDir Path dir) throws Exception {
    LoadResult fsync = FsyncCeiling.runFsync(dir.resolve("f"), new LoadStep(1, 1024), 0, 100, 1 << 20);
    assertThat(fsync.mode()).isEqualTo(FsyncCeiling.FSYNC);
    assertThat(fsync.ops()).isPositive();
    assertThat(dir.resolve("f")).doesNotExist();
    LoadResult rtt = FsyncCeiling.runRoundTrips(new LoadStep(1, 1024), 0, 100);
    assertThat(rtt.mode()).isEqualTo(FsyncCeiling.RTT);
    assertThat(rtt.ops()).isPositive();
    assertThat(rtt.p50Us()).isPositive();
  }

  @Test
  void windowListenerIsToldWhenTheWindowOpensAndCloses() throws Exception {
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    ClosedLoop.run("test", "leader", (payload, done) -> done.complete(true), new LoadStep(1, 8), 50, 50,
        new ClosedLoop.Window() {
          @Override
          public void opened() {
            events.add("opened");
          }

          @Override
          public void closed() {
            events.add("closed");
          }
        });
    assertThat(events).containsExactly("opened", "closed");
  }
}
