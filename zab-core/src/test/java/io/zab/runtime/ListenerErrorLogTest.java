package io.zab.runtime;

import static io.zab.runtime.LocalCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listener that throws on every call is logged at most once a second, with a count of the lines left out. */
class ListenerErrorLogTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void aStatusListenerThatAlwaysThrowsIsLoggedAtMostOnceASecond() throws Exception {
    cluster = new LocalCluster(dir, 1, b -> b.statusPeriod(Duration.ofMillis(1))); // a report every tick
    int calls = 30;
    AtomicInteger called = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    try (CapturedLog log = CapturedLog.start()) {
      long start = System.nanoTime();
      cluster.start(1).addStatusListener(s -> {
        if (called.incrementAndGet() == calls) {
          done.complete(null);
        }
        throw new IllegalStateException("listener bug");
      });
      done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(log.lines("a StatusListener threw")).as("%d failures in %d s", calls, seconds)
          .isNotEmpty().hasSizeLessThanOrEqualTo((int) seconds + 1);
    }
  }
}
