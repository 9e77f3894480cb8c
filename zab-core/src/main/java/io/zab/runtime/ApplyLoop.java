package io.zab.runtime;

import io.zab.ResultStateMachine;
import io.zab.StateMachine;
import io.zab.ZabException;
import io.zab.ZabThreads;
import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.SnapshotHeader;
import io.zab.wire.Txn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: the only thread that calls the {@link StateMachine}. Applies committed txns in zxid order
 * (each at most once; CONFIG txns only move the membership it records in snapshots, the state machine never sees
 * them), completes futures waiting for a zxid to be applied (with the apply's result for a
 * {@code submitForResult}, see {@link ApplyWaiters}), captures a snapshot every
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
  /** The same state machine if it returns results, else null. */
  private final ResultStateMachine<?> results;
  private final int snapshotEveryTxns;
  private final long snapshotEveryBytes;
  private final SnapshotWriting snapshots;
  private final SnapshotTaker taker;
  private final Consumer<Throwable> onFatal;
  private final Callbacks callbacks;
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong backlogBytes = new AtomicLong();
  private final ApplyWaiters waiters;
  private final Thread thread;
  private final HopTrace hops;
  /** The membership in force at the last applied zxid (null: unknown, the configured members), recorded in snapshots. */
  private Membership membership;
  private long sinceSnapshot;
  private long sinceSnapshotBytes;

  /**
   * @param snapshots where restores read snapshots from
   * @param taker where captured snapshots are written
   */
  ApplyLoop(long serverId, StateMachine stateMachine, Zxid restoredAt, int snapshotEveryTxns,
      SnapshotWriting snapshots, SnapshotTaker taker, Consumer<Throwable> onFatal, Callbacks callbacks) {
    this(serverId, stateMachine, restoredAt, null, snapshotEveryTxns, SNAPSHOT_EVERY_BYTES, snapshots, taker, onFatal,
        callbacks);
  }

  /**
   * @param restoredMembership the membership the restored snapshot recorded (null: unknown)
   */
  ApplyLoop(long serverId, StateMachine stateMachine, Zxid restoredAt, Membership restoredMembership,
      int snapshotEveryTxns, long snapshotEveryBytes, SnapshotWriting snapshots, SnapshotTaker taker,
      Consumer<Throwable> onFatal, Callbacks callbacks) {
    this(serverId, stateMachine, restoredAt, restoredMembership, snapshotEveryTxns, snapshotEveryBytes, snapshots,
        taker, onFatal, callbacks, HopTrace.disabled());
  }

  /** @param hops the hand-off trace (a measuring aid, usually disabled) */
  ApplyLoop(long serverId, StateMachine stateMachine, Zxid restoredAt, Membership restoredMembership,
      int snapshotEveryTxns, long snapshotEveryBytes, SnapshotWriting snapshots, SnapshotTaker taker,
      Consumer<Throwable> onFatal, Callbacks callbacks, HopTrace hops) {
    this.hops = hops;
    this.membership = restoredMembership;
    this.callbacks = callbacks;
    this.serverId = serverId;
    this.snapshotEveryBytes = snapshotEveryBytes;
    this.stateMachine = stateMachine;
    this.results = stateMachine instanceof ResultStateMachine<?> r ? r : null;
    this.waiters = new ApplyWaiters(serverId, restoredAt, callbacks, hops);
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
    return waiters.applied();
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
        Membership m = SnapshotHeader.read(in);
        stateMachine.restore(in);
        drainFully(in);
        membership = m;
        sinceSnapshot = 0;
        sinceSnapshotBytes = 0;
        waiters.restored(zxid);
        log.info("server {}: state machine restored from the snapshot at {}", serverId, zxid);
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /**
   * Runs {@code first} on the apply thread after what is queued, then captures a snapshot of the state as soon as the
   * snapshot thread is free, whatever the count since the last one (the newest snapshot turned out unreadable).
   */
  void snapshotNow(Runnable first) {
    tasks.add(() -> {
      first.run();
      sinceSnapshot = Math.max(sinceSnapshot, snapshotEveryTxns);
      snapshotIfDue();
    });
  }

  /**
   * Completes {@code f} once every txn up to {@code zxid} is applied: with {@code zxid}, or, for the future of a
   * {@code submitForResult} ({@link ResultFuture}), with the result of applying {@code zxid}. Any thread; for a
   * write, before its txn is delivered (the core's order), or the result is not there to hand over.
   */
  void completeWhenApplied(Zxid zxid, CompletableFuture<?> f) {
    waiters.await(zxid, f);
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
    waiters.failAll(reason);
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
          + " diverge", serverId, applied(), e);
      onFatal.accept(e);
    }
  }

  private void applyAll(List<Txn> txns, long bytes) {
    Zxid last = applied();
    if (results != null) {
      waiters.batchStarts(txns.get(txns.size() - 1).zxid()); // the futures this batch's results go to
    }
    for (Txn t : txns) {
      if (t.zxid().compareTo(last) <= 0) {
        // Already in the state (e.g. covered by a restored snapshot): applying twice would corrupt it.
        log.debug("server {}: skipping {} (applied up to {})", serverId, t.zxid(), last);
        continue;
      }
      if (t.isConfig()) {
        membership = MembershipCodec.decode(t.data()); // zab's own: never the state machine's
      } else {
        ByteBuffer payload = ByteBuffer.wrap(t.data()).asReadOnlyBuffer();
        if (results != null) {
          waiters.applied(t.zxid(), results.applyForResult(t.zxid(), payload)); // kept only if someone waits
        } else {
          stateMachine.apply(t.zxid(), payload);
        }
      }
      last = t.zxid();
      sinceSnapshot++;
      sinceSnapshotBytes += t.data().length;
    }
    backlog.addAndGet(-txns.size());
    backlogBytes.addAndGet(-bytes);
    hops.stamp(HopTrace.Hop.APPLIED, last);
    waiters.batchDone(last);
    snapshotIfDue();
  }

  /**
   * Captures a snapshot if enough was applied since the last one and the snapshot thread is free; also run when
   * it becomes free, so a snapshot that was due while the previous one was being written is not left waiting for
   * the next delivery.
   */
  private void snapshotIfDue() {
    if ((sinceSnapshot >= snapshotEveryTxns || sinceSnapshotBytes >= snapshotEveryBytes) && taker.ready()) {
      captureSnapshot(applied());
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
    taker.write(at, membership, captured);
  }

  private static void drainFully(InputStream in) throws IOException {
    // Reading to the end makes the store verify the snapshot's checksum.
    byte[] skip = new byte[8192];
    while (in.read(skip) >= 0) {
      // discard
    }
  }
}
