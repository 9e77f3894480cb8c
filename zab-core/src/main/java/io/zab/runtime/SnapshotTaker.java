package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.ZabThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot thread ({@code zab-snapshot-<id>}): writes and fsyncs, one at a time, the snapshots the apply
 * thread captured, then reports each ({@code SnapshotTaken}), so that neither apply nor commit waits for a slow
 * disk. Between writes it also retires old snapshots and log segments ({@link #runBetweenWrites}). A failed snapshot
 * is not fatal (the log still holds every txn): the next one is tried after a backoff
 * (1 s doubling to a minute), and failures are logged at most once a minute, with a count. Unless the snapshot
 * directory itself is gone: the data directory was deleted under the running server, which then stops with one
 * error instead of failing forever.
 */
final class SnapshotTaker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotTaker.class);
  static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);
  static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final long serverId;
  private final SnapshotWriting store;
  private final Path directory;
  private final Consumer<Zxid> onTaken;
  private final BiConsumer<String, Throwable> fatal;
  private final LongSupplier clock;
  private final ExecutorService thread;
  private volatile Thread running;
  private final LogThrottle failureLog;
  private volatile Runnable whenFree = () -> {};
  private volatile boolean busy;
  private volatile boolean stopped;
  private long notBefore;
  private long backoff;
  private int failures;

  /**
   * @param directory where the snapshots live; if it disappears the node is stopped through {@code fatal}
   * @param onTaken told of each snapshot once it is durable
   * @param clock nanoseconds, e.g. {@code System::nanoTime}
   */
  SnapshotTaker(long serverId, SnapshotWriting store, Path directory, Consumer<Zxid> onTaken,
      BiConsumer<String, Throwable> fatal, LongSupplier clock) {
    this.serverId = serverId;
    this.store = store;
    this.directory = directory;
    this.onTaken = onTaken;
    this.fatal = fatal;
    this.clock = clock;
    this.failureLog = new LogThrottle(LOG_INTERVAL_NANOS, clock);
    ThreadFactory threads = ZabThreads.factory(serverId, "snapshot");
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = threads.newThread(r);
      running = t;
      return t;
    });
  }

  /** Whether a captured snapshot may be handed over now: none is being written and no backoff runs. */
  synchronized boolean ready() {
    return !busy && !stopped && clock.getAsLong() - notBefore >= 0;
  }

  /** Called on the snapshot thread each time a write ends, so a snapshot that is due can be captured. */
  void whenFree(Runnable callback) {
    this.whenFree = callback;
  }

  /**
   * Hands over {@code snapshot}, the state after {@code at} under {@code membership} (null: unknown), to be
   * written; only when {@link #ready()}.
   */
  void write(Zxid at, Membership membership, StateMachine.Snapshot snapshot) {
    busy = true;
    thread.execute(() -> {
      boolean written = false;
      try {
        store.write(at, membership, snapshot);
        written = true;
        succeeded(at);
      } catch (Exception e) {
        failed(at, e);
      } finally {
        busy = false; // before reporting, so the next capture finds the thread free
      }
      if (written) {
        onTaken.accept(at);
      }
      whenFree.run();
    });
  }

  /**
   * Runs {@code task} on the snapshot thread after what is queued there (snapshot file work that must not hold up
   * the protocol thread or the log writer: {@link SnapshotRetirement}).
   *
   * @throws java.util.concurrent.RejectedExecutionException once closed
   */
  void runBetweenWrites(Runnable task) {
    thread.execute(task);
  }

  /** A snapshot the state machine could not even capture counts as a failed one. */
  void captureFailed(Zxid at, Exception e) {
    failed(at, e);
  }

  private synchronized void succeeded(Zxid at) {
    if (failures > 0) {
      log.info("server {}: snapshot at {} written after {} failed attempts", serverId, at, failures);
    } else {
      log.info("server {}: snapshot taken at {}", serverId, at);
    }
    failures = 0;
    backoff = 0;
    failureLog.reset();
  }

  private synchronized void failed(Zxid at, Exception e) {
    if (stopped) {
      return;
    }
    if (!Files.isDirectory(directory)) {
      stopped = true;
      fatal.accept(LocalSnapshots.goneMessage(directory), e);
      return;
    }
    failures++;
    backoff = backoff == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, 2 * backoff);
    notBefore = clock.getAsLong() + backoff;
    long skipped = failureLog.tryLog();
    if (skipped >= 0) {
      log.warn("server {}: snapshot at {} failed ({} failures in a row, {} not logged; the next try in {} s;"
          + " the log keeps every txn meanwhile): {}", serverId, at, failures, skipped,
          TimeUnit.NANOSECONDS.toSeconds(backoff), e.toString());
    }
  }

  /** Lets the snapshot being written finish, then stops the thread. Idempotent. */
  @Override
  public void close() {
    stopped = true;
    thread.shutdown();
    try {
      thread.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the caller is the snapshot thread (e.g. a state machine's {@code writeTo} closing the node). */
  boolean isSnapshotThread() {
    return Thread.currentThread() == running;
  }
}
