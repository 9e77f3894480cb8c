package io.zab.runtime;

import java.util.function.LongSupplier;

/**
 * Keeps a recurring log line to at most one per interval: the first occurrence is logged, later ones within the
 * interval are only counted, and the next line logged says how many were left out. Thread-safe. Internal to zab
 * (the runtime and its transports), not part of the embedding API.
 *
 * <pre>{@code
 * long skipped = throttle.tryLog();
 * if (skipped >= 0) log.warn("snapshot failed: {} ({} similar failures not logged)", e, skipped);
 * }</pre>
 */
public final class LogThrottle {
  /** The usual interval: a recurring line at most once a second. */
  public static final long ONE_SECOND = 1_000_000_000L;

  private final long intervalNanos;
  private final LongSupplier clock;
  private boolean loggedOnce;
  private long lastLogged;
  private long skipped;

  /**
   * A throttle of one recurring line.
   *
   * @param intervalNanos the least time between two logged occurrences
   * @param clock nanoseconds, e.g. {@code System::nanoTime}
   */
  public LogThrottle(long intervalNanos, LongSupplier clock) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /**
   * Whether to log this occurrence.
   *
   * @return the number of occurrences left out since the last logged one (0 or more), or -1 to leave this one out
   */
  public synchronized long tryLog() {
    long now = clock.getAsLong();
    if (loggedOnce && now - lastLogged < intervalNanos) {
      skipped++;
      return -1;
    }
    loggedOnce = true;
    lastLogged = now;
    long left = skipped;
    skipped = 0;
    return left;
  }

  /** Forgets the history: the next occurrence is logged (the condition ended). */
  public synchronized void reset() {
    loggedOnce = false;
    skipped = 0;
  }
}
