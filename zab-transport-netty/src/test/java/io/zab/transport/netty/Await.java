package io.zab.transport.netty;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by checking it on a timer thread and awaiting a future (no sleeping test thread). */
final class Await {
  private Await() {}

  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try {
      poller.scheduleWithFixedDelay(() -> {
        try {
          if (condition.getAsBoolean()) {
            done.complete(null);
          }
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      }, 0, 10, TimeUnit.MILLISECONDS);
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
    } catch (Exception e) {
      throw new AssertionError("failed waiting for " + what.get(), e);
    } finally {
      poller.shutdownNow();
    }
  }
}
