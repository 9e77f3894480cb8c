package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(1000),
      new SplittableRandom(42));

  @Test
  void delaysDoubleWithJitterUntilTheCap() {
    for (int attempt = 0; attempt < 200; attempt++) {
      long ceiling = Math.min(1000, 10L << Math.min(attempt, 20)) * 1_000_000;
      long d = backoff.delayNanos(attempt);
      assertThat(d).as("attempt %d", attempt).isBetween(ceiling / 2, ceiling);
    }
  }

  @Test
  void jitterSpreadsServersThatLostEachOtherAtOnce() {
    long first = backoff.delayNanos(3);
    boolean differs = false;
    for (int i = 0; i < 20 && !differs; i++) {
      differs = backoff.delayNanos(3) != first;
    }
    assertThat(differs).isTrue();
  }
}
