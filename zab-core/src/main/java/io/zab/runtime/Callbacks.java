package io.zab.runtime;

import io.zab.ZabThreads;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where user code runs: the continuations of the futures a node returns (completions and failures) and its
 * {@code ZabListener}s. Never on the node's protocol, log or apply thread, nor on a transport thread, so a slow
 * or blocking continuation delays only later callbacks, never heartbeats, acks or applies.
 *
 * <p>Tasks run one at a time in the order they were handed over, on the application's executor if it gave
 * one (even a multi-threaded one), else on a thread of this node ({@code zab-callback-<id>}). Thread-safe.
 */
final class Callbacks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

  private final long serverId;
  private final Executor executor;
  private final ExecutorService own; // null when the application gave the executor
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean rejectionLogged = new AtomicBoolean();
  /** The drain, with the server id in the MDC while it runs (also on an application's executor). */
  private final Runnable drain;
  private final LogThrottle threwLog = new LogThrottle(LogThrottle.ONE_SECOND, System::nanoTime);

  /** @param executor the application's executor, or null for a thread of this node */
  Callbacks(long serverId, Executor executor) {
    this.serverId = serverId;
    this.drain = ZabThreads.withServerId(serverId, this::drain);
    if (executor != null) {
      this.executor = executor;
      this.own = null;
    } else {
      this.own = Executors.newSingleThreadExecutor(ZabThreads.factory(serverId, "callback"));
      this.executor = own;
    }
  }

  /** Completes {@code f} with {@code value} on the callback executor. */
  <T> void complete(CompletableFuture<T> f, T value) {
    execute(() -> f.complete(value));
  }

  /** Fails {@code f} with {@code error} on the callback executor. */
  void fail(CompletableFuture<?> f, Throwable error) {
    execute(() -> f.completeExceptionally(error));
  }

  /** Runs {@code task} after every task handed over before it, on the callback executor. */
  void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (!draining.compareAndSet(false, true)) {
      return; // the running drain picks the task up
    }
    try {
      executor.execute(drain);
    } catch (RejectedExecutionException e) {
      // The node's own thread is gone after close(), or the application shut its executor down before closing
      // the node: futures must still complete.
      if (own == null && rejectionLogged.compareAndSet(false, true)) {
        log.warn("server {}: the callback executor refused a task ({}); running callbacks on a thread of the node",
            serverId, e.toString());
      }
      ZabThreads.newThread(serverId, "callback-fallback", drain).start();
    }
  }

  private void drain() {
    while (true) {
      for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          long skipped = threwLog.tryLog();
          if (skipped >= 0) {
            log.warn("server {}: a callback threw ({} more not logged)", serverId, skipped, e);
          }
        }
      }
      draining.set(false);
      // A task added after the last poll but before the flag was cleared would otherwise wait forever.
      if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  /**
   * Lets the node's own callback thread end once it has run what is queued; does not wait for it (a callback
   * may be the caller, or may block). An application's executor is left alone.
   */
  @Override
  public void close() {
    if (own != null) {
      own.shutdown();
    }
  }
}
