package io.zab.bench.cluster;

/**
 * When the i-th write of an open-loop load is due: {@code start + i / rate} seconds, computed from the start each
 * time (not by adding a rounded period), so a rate such as 3,000/s does not drift by the rounding of 333,333.3 ns.
 */
final class RatePacer {

  private final long startNanos;
  private final long perSecond;

  RatePacer(long startNanos, long perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 write/s, got " + perSecond);
    }
    this.startNanos = startNanos;
    this.perSecond = perSecond;
  }

  /** The intended send time of write {@code i} (0-based), in {@link System#nanoTime()} terms. */
  long dueNanos(long i) {
    // i * 1e9 overflows a long only after 9.2e9 writes; split seconds and the remainder to stay exact beyond that
    long seconds = i / perSecond;
    long rest = i % perSecond;
    return startNanos + seconds * 1_000_000_000L + rest * 1_000_000_000L / perSecond;
  }

  long perSecond() {
    return perSecond;
  }
}
