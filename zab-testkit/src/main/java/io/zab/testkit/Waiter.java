package io.zab.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition on a real cluster: re-checked whenever the cluster records an event (a role change,
 * an apply, a start or stop, a network change) and at least every 10 ms for state no event announces.
 * No sleeping: the thread waits on a condition variable that events signal.
 */
final class Waiter {
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long events;

  /** Something happened: wake up every waiting thread. */
  void signal() {
    lock.lock();
    try {
      events++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns once {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} and the cluster's state ({@code state}) after {@code timeout}
   */
  void await(Duration timeout, BooleanSupplier condition, Supplier<String> what, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      lock.lock();
      try {
        seen = events;
      } finally {
        lock.unlock();
      }
      if (condition.getAsBoolean()) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get() + "\n"
            + state.get());
      }
      lock.lock();
      try {
        if (events == seen) {
          changed.awaitNanos(Math.min(left, RECHECK_NANOS));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what.get(), e);
      } finally {
        lock.unlock();
      }
    }
  }
}
