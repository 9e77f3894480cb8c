package io.zab.runtime;

import io.zab.ClosedException;
import io.zab.StateMachine;
import io.zab.ZabException;
import io.zab.ZabThreads;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: the only thread that calls the {@link StateMachine}. Applies committed txns in zxid order
 * (each at most once), completes futures waiting for a zxid to be applied, captures a snapshot every
 * {@code snapshotEveryTxns} txns (written by the {@link SnapshotTaker}, not here), and restores snapshots
 * installed by the leader. Futures complete on the {@link Callbacks} executor, never on the thread that asks
 * or on this one. It never waits for the protocol thread, nor the protocol thread for it.
 */
final class ApplyLoop {
  private static final Logger log = LoggerFactory.getLogger(ApplyLoop.class);
  private static final Runnable STOP = () -> {};
  static final int TXN_OVERHEAD_BYTES = 64;
  /**
   * A snapshot is also taken after this many payload bytes, however few txns: the core holds every txn after
   * the newest snapshot in memory, so with large txns a count alone would let that grow to hundreds of MiB.
   */
  static final long SNAPSHOT_EVERY_BYTES = 64L << 20;

  private final long serverId;
  private final StateMachine stateMachine;
  private final int snapshotEveryTxns;
  private final long snapshotEveryBytes;
  private final SnapshotWriting snapshots;
  private final SnapshotTaker taker;
  private final Consumer<Throwable> onFatal;
  private final Callbacks callbacks;
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong backlogBytes = new AtomicLong();
  private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
  private final Thread thread;
  private volatile Zxid applied;
  private volatile ZabException closedWith;
  private long sinceSnapshot;
  private long sinceSnapshotBytes;

  /**
   * @param snapshots where restores read snapshots from
   * @param taker where captured snapshots are written
   */
  ApplyLoop(long serverId, StateMachine stateMachine, Zxid restoredAt, int snapshotEveryTxns,
      SnapshotWriting snapshots, SnapshotTaker taker, Consumer<Throwable> onFatal, Callbacks callbacks) {
    this(serverId, stateMachine, restoredAt, snapshotEveryTxns, SNAPSHOT_EVERY_BYTES, snapshots, taker, onFatal,
        callbacks);
  }

  ApplyLoop(long serverId, StateMachine stateMachine, Zxid restoredAt, int snapshotEveryTxns,
      long snapshotEveryBytes, SnapshotWriting snapshots, SnapshotTaker taker, Consumer<Throwable> onFatal,
      Callbacks callbacks) {
    this.callbacks = callbacks;
    this.serverId = serverId;
    this.snapshotEveryBytes = snapshotEveryBytes;
    this.stateMachine = stateMachine;
    this.applied = restoredAt;
    this.snapshotEveryTxns = snapshotEveryTxns;
    this.snapshots = snapshots;
    this.taker = taker;
    this.onFatal = onFatal;
    this.thread = ZabThreads.newThread(serverId, "apply", this::run);
    taker.whenFree(() -> tasks.add(this::snapshotIfDue));
  }

  void start() {
    thread.start();
  }

  /** Whether the caller is the apply thread (e.g. a future callback or the state machine itself). */
  boolean isCurrentThread() {
    return thread == Thread.currentThread();
  }

  /** The last zxid applied to the state machine. Any thread. */
  Zxid applied() {
    return applied;
  }

  /** Committed txns queued but not yet applied. Any thread. */
  long backlog() {
    return backlog.get();
  }

  /** Memory held by the committed txns queued but not yet applied (payload plus a per-txn overhead). Any thread. */
  long backlogBytes() {
    return backlogBytes.get();
  }

  /** Queues committed txns (in zxid order) for the state machine. */
  void deliver(List<Txn> txns) {
    if (txns.isEmpty()) {
      return;
    }
    long bytes = bytesOf(txns);
    backlog.addAndGet(txns.size());
    backlogBytes.addAndGet(bytes);
    tasks.add(() -> applyAll(txns, bytes));
  }

  /** What a queued txn costs in memory, roughly: its payload and its objects. */
  static long bytesOf(List<Txn> txns) {
    long bytes = 0;
    for (Txn t : txns) {
      bytes += t.data().length + TXN_OVERHEAD_BYTES;
    }
    return bytes;
  }

  /**
   * Replaces the state machine's state with the stored snapshot at {@code zxid}, after everything queued
   * before. The returned future completes once restored.
   */
  CompletableFuture<Void> restore(Zxid zxid) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    tasks.add(() -> {
      try (InputStream in = snapshots.open(zxid)) {
        stateMachine.restore(in);
        drainFully(in);
        sinceSnapshot = 0;
        sinceSnapshotBytes = 0;
        advanceTo(zxid, true);
        log.info("server {}: state machine restored from the snapshot at {}", serverId, zxid);
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** Completes {@code f} with {@code zxid} once every txn up to {@code zxid} is applied. Any thread. */
  void completeWhenApplied(Zxid zxid, CompletableFuture<Zxid> f) {
    synchronized (waiters) {
      if (closedWith != null) {
        callbacks.fail(f, closedWith);
        return;
      }
      if (zxid.compareTo(applied) > 0) {
        waiters.add(new Waiter(zxid, f));
        return;
      }
    }
    callbacks.complete(f, zxid);
  }

  /** Applies what is queued, stops the thread and fails waiters still pending. Idempotent. */
  void close(ZabException reason) {
    if (thread.isAlive()) {
      tasks.add(STOP);
      if (thread != Thread.currentThread()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    failWaiters(reason);
  }

  private void run() {
    try {
      for (Runnable task = tasks.take(); task != STOP; task = tasks.take()) {
        task.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      log.error("server {}: the state machine failed at zxid after {}; stopping the node, since replicas would"
          + " diverge", serverId, applied, e);
      onFatal.accept(e);
    }
  }

  private void applyAll(List<Txn> txns, long bytes) {
    Zxid last = applied;
    for (Txn t : txns) {
      if (t.zxid().compareTo(last) <= 0) {
        // Already in the state (e.g. covered by a restored snapshot): applying twice would corrupt it.
        log.debug("server {}: skipping {} (applied up to {})", serverId, t.zxid(), last);
        continue;
      }
      stateMachine.apply(t.zxid(), ByteBuffer.wrap(t.data()).asReadOnlyBuffer());
      last = t.zxid();
      sinceSnapshot++;
      sinceSnapshotBytes += t.data().length;
    }
    backlog.addAndGet(-txns.size());
    backlogBytes.addAndGet(-bytes);
    advanceTo(last, false);
    snapshotIfDue();
  }

  /**
   * Captures a snapshot if enough was applied since the last one and the snapshot thread is free; also run when
   * it becomes free, so a snapshot that was due while the previous one was being written is not left waiting for
   * the next delivery.
   */
  private void snapshotIfDue() {
    if ((sinceSnapshot >= snapshotEveryTxns || sinceSnapshotBytes >= snapshotEveryBytes) && taker.ready()) {
      captureSnapshot(applied);
    }
  }

  /** Captures the state after {@code at} for the snapshot thread; only the capture runs here. */
  private void captureSnapshot(Zxid at) {
    sinceSnapshot = 0;
    sinceSnapshotBytes = 0;
    StateMachine.Snapshot captured;
    try {
      captured = stateMachine.snapshot();
    } catch (IOException e) {
      taker.captureFailed(at, e); // not fatal: the log still holds everything
      return;
    }
    taker.write(at, captured);
  }

  private void advanceTo(Zxid zxid, boolean allowBackwards) {
    List<Waiter> ready = new ArrayList<>();
    synchronized (waiters) {
      if (allowBackwards || zxid.compareTo(applied) > 0) {
        applied = zxid;
      }
      while (!waiters.isEmpty() && waiters.peek().zxid().compareTo(applied) <= 0) {
        ready.add(waiters.poll());
      }
    }
    if (!ready.isEmpty()) {
      callbacks.execute(() -> ready.forEach(w -> w.future().complete(w.zxid())));
    }
  }

  private void failWaiters(ZabException reason) {
    List<Waiter> failed;
    synchronized (waiters) {
      if (closedWith == null) {
        closedWith = reason != null ? reason : new ClosedException("server " + serverId + " is closed");
      }
      failed = new ArrayList<>(waiters);
      waiters.clear();
    }
    ZabException failure = closedWith;
    failed.forEach(w -> callbacks.fail(w.future(), failure));
  }

  private static void drainFully(InputStream in) throws IOException {
    // Reading to the end makes the store verify the snapshot's checksum.
    byte[] skip = new byte[8192];
    while (in.read(skip) >= 0) {
      // discard
    }
  }

  private record Waiter(Zxid zxid, CompletableFuture<Zxid> future) implements Comparable<Waiter> {
    @Override
    public int compareTo(Waiter o) {
      return zxid.compareTo(o.zxid);
    }
  }
}
