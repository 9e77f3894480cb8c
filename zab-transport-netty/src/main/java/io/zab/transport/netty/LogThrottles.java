package io.zab.transport.netty;

import io.zab.runtime.LogThrottle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@link LogThrottle} per key (a peer, a remote host and reason), for lines that recur per connection: at most
 * one line per key and interval, the next one counting those left out. Remembers the most recently used 256 keys,
 * so a flood of distinct addresses cannot grow it. Thread-safe.
 */
final class LogThrottles {
  private static final int MAX_KEYS = 256;

  private final long intervalNanos;
  private final LongSupplier clock;
  private final Map<String, LogThrottle> byKey = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, LogThrottle> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /** @param clock nanoseconds, e.g. {@code System::nanoTime} */
  LogThrottles(long intervalNanos, LongSupplier clock) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /** See {@link LogThrottle#tryLog()}: occurrences of {@code key} left out since its last line, or -1 to skip it. */
  synchronized long tryLog(String key) {
    return byKey.computeIfAbsent(key, k -> new LogThrottle(intervalNanos, clock)).tryLog();
  }

  /** The condition behind {@code key} ended: its next occurrence is logged at once. */
  synchronized void reset(String key) {
    LogThrottle t = byKey.get(key);
    if (t != null) {
      t.reset();
    }
  }
}
