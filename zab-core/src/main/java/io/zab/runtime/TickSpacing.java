package io.zab.runtime;

/**
 * Decides which firings of the ticker's timer count as ticks. A fixed-rate timer that was held (a GC pause, the
 * process stopped, an overloaded machine) fires every period it missed at once when it runs again; counting that
 * burst would age every peer's "last heard" by the whole stall in one go, before the protocol thread has read the
 * messages that arrived meanwhile, and time out a healthy leader or follower. So a firing counts only when at least
 * half a period has passed since the last counted one: a stall of any length costs one tick. Not thread-safe: the
 * ticker's one thread owns it.
 */
final class TickSpacing {
  private final long minGapNanos;
  private long lastCounted;
  private boolean counted;

  TickSpacing(long periodNanos) {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("tick period must be positive, got " + periodNanos + " ns");
    }
    this.minGapNanos = periodNanos / 2;
  }

  /** Whether a firing at {@code nowNanos} (a monotonic clock) counts as a tick; records it if so. */
  boolean counts(long nowNanos) {
    if (counted && nowNanos - lastCounted < minGapNanos) {
      return false;
    }
    counted = true;
    lastCounted = nowNanos;
    return true;
  }
}
