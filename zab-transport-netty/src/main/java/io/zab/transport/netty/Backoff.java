package io.zab.transport.netty;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential reconnect delay with jitter: attempt n waits a uniform time in [d/2, d] where
 * d = min(max, min * 2^n). Jitter keeps servers that lost each other at once from redialing in lockstep.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private final RandomGenerator random;

  Backoff(Duration min, Duration max, RandomGenerator random) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The delay before attempt {@code attempt} (0 = the first retry). */
  long delayNanos(int attempt) {
    long ceiling = minNanos;
    for (int i = 0; i < attempt && ceiling < maxNanos; i++) {
      ceiling *= 2; // no overflow: ceiling < maxNanos, at most an hour (NettyConfig)
    }
    ceiling = Math.min(ceiling, maxNanos);
    long half = ceiling / 2;
    return half + random.nextLong(ceiling - half + 1);
  }
}
