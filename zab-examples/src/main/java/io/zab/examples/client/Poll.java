package io.zab.examples.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls until a probe yields a value or a deadline passes: how the launcher and demo await a cluster. */
public final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(50);

  private Poll() {}

  /**
   * Calls {@code probe} every 50 ms until it returns non-null (an exception counts as "not yet"), at most
   * for {@code timeout}.
   *
   * @return the first non-null value, or the last exception / empty if the deadline passed
   */
  public static <T> Result<T> until(Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        T v = probe.get();
        if (v != null) {
          return new Result<>(Optional.of(v), null);
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        return new Result<>(Optional.empty(), last);
      }
      LockSupport.parkNanos(INTERVAL.toNanos());
    }
  }

  /** A value, or none and the last error seen while polling. */
  public record Result<T>(Optional<T> value, RuntimeException lastError) {}
}
