package io.zab.storage;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit thread of a {@link TxnLog}: producers queue commands, one daemon thread drains everything
 * queued, applies it in order and fsyncs once for the lot, then reports the highest durable zxid.
 *
 * <ul>
 *   <li>The queue holds {@code queueCapacity} commands; a producer <b>blocks</b> while it is full (back-pressure,
 *       nothing is dropped). With {@code Integer.MAX_VALUE} it never blocks: the node's runtime does that, so
 *       that its protocol thread never waits here, and bounds what it queues itself.
 *   <li>A future returned by {@link #append} completes with the durable zxid after the fsync that covers the
 *       batch, and only then; it fails with {@link IllegalArgumentException} for a zxid out of order.
 *   <li>On an I/O error the failure callback runs once (it is the one place the error is reported), the thread
 *       stops, and every queued and later command fails with {@link LogFailedException}.
 *   <li>While idle the thread checks once a second that the log's active segment is still the file at its path
 *       ({@link TxnLog#checkActiveSegment()}); if not, the log fails as on an I/O error.
 *   <li>{@link #close()} lets the thread finish every command queued before it, fsyncs, closes the log and
 *       waits for the thread. Idempotent; commands submitted after it fail with IllegalStateException.
 * </ul>
 *
 * <pre>{@code
 * LogWriter w = new LogWriter(TxnLog.open(dir, TxnLogOptions.defaults()), 1024,
 *     durable -> sendAcksUpTo(durable), error -> shutDownNode(error));
 * w.append(List.of(txn)); // ack later, from the durability callback
 * }</pre>
 */
public final class LogWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
  /** How long the writer waits for work before checking, idle, that its segment file still exists. */
  private static final long IDLE_CHECK_MILLIS = 1_000;

  /** Work run on the writer thread with the log, for what has no command of its own (reads, compaction). */
  @FunctionalInterface
  public interface LogTask<T> {
    T run(TxnLog log) throws IOException;
  }

  private sealed interface Command permits Append, Truncate, Reset, Task, Stop {
    CompletableFuture<?> done();
  }

  private record Append(List<Txn> txns, CompletableFuture<Zxid> done) implements Command {}

  private record Truncate(Zxid after, CompletableFuture<Zxid> done) implements Command {}

  private record Reset(Zxid base, CompletableFuture<Zxid> done) implements Command {}

  private record Task<T>(LogTask<T> task, CompletableFuture<T> done) implements Command {
    void run(TxnLog log) throws LogFailedException {
      try {
        done.complete(task.run(log));
      } catch (LogFailedException e) {
        done.completeExceptionally(e);
        throw e; // the log is failed: so is the writer
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e); // e.g. a damaged record met by a read: the task's problem, not the log's
      }
    }
  }

  private record Stop(CompletableFuture<Zxid> done) implements Command {}

  private final TxnLog log;
  private final BlockingQueue<Command> queue;
  private final Consumer<Zxid> onDurable;
  private final Consumer<Throwable> onFailure;
  private final Thread thread;
  private final Object submitLock = new Object();
  private volatile Throwable failure;
  private boolean closed; // guarded by submitLock

  /**
   * Starts the writer thread.
   *
   * @param log the log to own (closed by {@link #close()})
   * @param queueCapacity how many commands may wait; producers block beyond it ({@code Integer.MAX_VALUE}: never)
   * @param onDurable called on the writer thread with the highest durable zxid after each fsync
   * @param onFailure called once on the writer thread with the error that failed the log
   */
  public LogWriter(TxnLog log, int queueCapacity, Consumer<Zxid> onDurable, Consumer<Throwable> onFailure) {
    this(log, queueCapacity, onDurable, onFailure, r -> new Thread(r, "zab-log-writer"));
  }

  /**
   * Starts the writer thread, made by {@code threads} (a node names it {@code zab-log-writer-<id>}); otherwise as
   * {@link #LogWriter(TxnLog, int, Consumer, Consumer)}.
   */
  public LogWriter(TxnLog log, int queueCapacity, Consumer<Zxid> onDurable, Consumer<Throwable> onFailure,
      ThreadFactory threads) {
    this.log = Objects.requireNonNull(log, "log");
    this.queue = new LinkedBlockingQueue<>(queueCapacity);
    this.onDurable = Objects.requireNonNull(onDurable, "onDurable");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.thread = threads.newThread(this::run);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a batch; the future completes with the durable zxid once an fsync covers the whole batch. */
  public CompletableFuture<Zxid> append(List<Txn> txns) {
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    submit(new Append(List.copyOf(txns), done), done);
    return done;
  }

  /** Queues one txn; the future completes after the fsync that covers it. */
  public CompletableFuture<Zxid> appendAndAwait(Txn txn) {
    return append(List.of(txn));
  }

  /** Queues {@link TxnLog#truncateAfter}; the future completes with the new last zxid. */
  public CompletableFuture<Zxid> truncateAfter(Zxid zxid) {
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    submit(new Truncate(zxid, done), done);
    return done;
  }

  /** Queues {@link TxnLog#resetTo}; the future completes with the new base. */
  public CompletableFuture<Zxid> resetTo(Zxid base) {
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    submit(new Reset(base, done), done);
    return done;
  }

  /**
   * Runs {@code task} on the writer thread, after the commands queued before it (their appends are written but
   * maybe not yet durable). For example {@code submit(log -> log.readAfter(zxid))} gives a reader usable from
   * any thread, and {@code submit(log -> { log.deleteSegmentsBefore(snap); return null; })} compacts.
   */
  public <T> CompletableFuture<T> submit(LogTask<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    submit(new Task<>(task, done), done);
    return done;
  }

  /** Whether the caller is the writer thread (i.e. runs inside a callback of this writer). */
  public boolean isWriterThread() {
    return thread == Thread.currentThread();
  }

  private void submit(Command c, CompletableFuture<?> done) {
    Throwable f = failure;
    if (f != null) {
      done.completeExceptionally(failed(f));
      return;
    }
    synchronized (submitLock) {
      if (closed) {
        done.completeExceptionally(new IllegalStateException("log writer is closed"));
        return;
      }
      try {
        queue.put(c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done.completeExceptionally(e);
        return;
      }
    }
    // the writer may have failed and drained the queue just before our put: do not leave the future hanging
    if (failure != null) {
      failRemaining();
    }
  }

  private void run() {
    List<Command> batch = new ArrayList<>();
    List<CompletableFuture<Zxid>> waiting = new ArrayList<>();
    try {
      boolean stop = false;
      while (!stop) {
        Command first = queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          log.checkActiveSegment(); // idle: a deleted data directory is still noticed within a second
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        for (Command c : batch) {
          if (c instanceof Append a) {
            apply(a, waiting);
          } else if (c instanceof Truncate t) {
            syncAndComplete(waiting); // appends before it are durable before they can be truncated away
            try {
              log.truncateAfter(t.after());
              t.done().complete(log.lastZxid());
            } catch (IllegalArgumentException e) { // before the log's base: a caller bug, the log is fine
              t.done().completeExceptionally(e);
            }
          } else if (c instanceof Task<?> t) {
            t.run(log);
          } else if (c instanceof Reset r) {
            syncAndComplete(waiting);
            log.resetTo(r.base());
            r.done().complete(log.lastZxid());
          } else {
            stop = true;
          }
        }
        batch.clear();
        syncAndComplete(waiting);
      }
    } catch (Throwable e) {
      failure = e;
      LOG.debug("Log writer failed; refusing all further commands", e); // reported by onFailure, once
      LogFailedException lf = failed(e);
      waiting.forEach(w -> w.completeExceptionally(lf));
      for (Command c : batch) {
        c.done().completeExceptionally(lf);
      }
      failRemaining();
      try {
        onFailure.accept(e);
      } catch (RuntimeException cb) {
        LOG.error("Log writer failure callback threw", cb);
      }
      return;
    } finally {
      log.close();
    }
  }

  private void apply(Append a, List<CompletableFuture<Zxid>> waiting) throws Exception {
    try {
      log.checkAppendable(a.txns()); // whole batch or nothing
    } catch (IllegalArgumentException e) {
      // out-of-order zxid or oversized payload: a caller bug, reported to that caller; the log itself is fine
      a.done().completeExceptionally(e);
      return;
    }
    for (Txn t : a.txns()) {
      log.append(t);
    }
    waiting.add(a.done());
  }

  private void syncAndComplete(List<CompletableFuture<Zxid>> waiting) throws Exception {
    if (waiting.isEmpty()) {
      return;
    }
    Zxid durable = log.sync();
    for (CompletableFuture<Zxid> w : waiting) {
      w.complete(durable);
    }
    waiting.clear();
    try {
      onDurable.accept(durable);
    } catch (RuntimeException e) {
      LOG.error("Durability callback threw for {}", durable, e); // a caller bug; the log itself is fine
    }
  }

  private void failRemaining() {
    LogFailedException lf = failed(failure);
    for (Command c = queue.poll(); c != null; c = queue.poll()) {
      c.done().completeExceptionally(lf);
    }
  }

  private static LogFailedException failed(Throwable cause) {
    if (cause instanceof LogFailedException lf) {
      return new LogFailedException(lf.getMessage(), lf.getCause());
    }
    return new LogFailedException("log writer failed: " + cause, cause);
  }

  /**
   * Finishes the commands queued so far, fsyncs, closes the log and joins the thread (unless called from a
   * callback, that is on the writer thread itself). Idempotent.
   */
  @Override
  public void close() {
    synchronized (submitLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (failure == null) {
        try {
          queue.put(new Stop(new CompletableFuture<>()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (Thread.currentThread() == thread) {
      return; // called from a callback: the thread stops once it has drained the queue
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
