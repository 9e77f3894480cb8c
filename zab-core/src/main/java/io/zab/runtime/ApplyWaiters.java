package io.zab.runtime;

import io.zab.ClosedException;
import io.zab.ResultUnavailableException;
import io.zab.ZabException;
import io.zab.Zxid;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The futures waiting for this server's state machine to reach a zxid (submits whose txn is committed, read
 * barriers), and the hand-over of an apply's result to the write submitted here that asked for it
 * ({@link ResultFuture}). Owns the applied mark, so that "already applied, or wait" is decided under one lock.
 *
 * <p>Results: the core announces a write's completion before it delivers the txn (see {@code Action.Complete}),
 * so a waiter is registered before its txn is applied. At the start of each batch the apply thread takes the
 * waiters the batch satisfies, sets the result of each one's own apply, and after the batch completes them on
 * the {@link Callbacks} executor. A result nobody waits for is never stored. A waiter for a txn that arrived
 * inside a restored snapshot has no result: a result future then fails with {@link ResultUnavailableException}.
 *
 * <p>Threads: {@link #await} and {@link #applied()} from any thread; the batch methods and {@link #restored} from
 * the apply thread only; {@link #failAll} once the apply thread has stopped (or from it).
 */
final class ApplyWaiters {
  private static final Logger log = LoggerFactory.getLogger(ApplyWaiters.class);

  private final long serverId;
  private final Callbacks callbacks;
  private final HopTrace hops;
  /** Guarded by itself, as are {@link #restoredAt} and {@link #closedWith}. */
  private final PriorityQueue<Waiter> waiting = new PriorityQueue<>();
  private volatile Zxid applied;
  private Zxid restoredAt;
  private ZabException closedWith;
  /** Apply thread: the waiters of the batch being applied, in zxid order, and the next one to match. */
  private final ArrayList<Waiter> due = new ArrayList<>();
  private int dueNext;

  /** @param restoredAt what the state machine holds at start (the snapshot it was restored from, or zero) */
  ApplyWaiters(long serverId, Zxid restoredAt, Callbacks callbacks) {
    this(serverId, restoredAt, callbacks, HopTrace.disabled());
  }

  /** @param hops stamped as each write's future completes (a measuring aid, usually disabled) */
  ApplyWaiters(long serverId, Zxid restoredAt, Callbacks callbacks, HopTrace hops) {
    this.hops = hops;
    this.serverId = serverId;
    this.callbacks = callbacks;
    this.applied = restoredAt;
    this.restoredAt = restoredAt;
  }

  /** The last zxid applied (or restored). Any thread. */
  Zxid applied() {
    return applied;
  }

  /**
   * Completes {@code f} once every txn up to {@code zxid} is applied: with {@code zxid}, or for a
   * {@link ResultFuture} with the result the apply of {@code zxid} returned. Any thread.
   */
  void await(Zxid zxid, CompletableFuture<?> f) {
    Waiter w = new Waiter(zxid, f);
    Zxid restored;
    synchronized (waiting) {
      if (closedWith != null) {
        callbacks.fail(f, closedWith);
        return;
      }
      if (zxid.compareTo(applied) > 0) {
        waiting.add(w);
        return;
      }
      restored = restoredAt;
    }
    if (w.wantsResult && zxid.compareTo(restored) > 0) {
      // The core announces a write before delivering it, so only a restored snapshot can have covered it.
      log.warn("server {}: the result of the write at {} was asked for after it was applied (applied up to {}); the"
          + " protocol announces writes before delivering them, so this is a bug", serverId, zxid, applied);
    }
    callbacks.execute(() -> w.complete(serverId, restored));
  }

  /** Apply thread, before applying a batch whose last txn is {@code last}: takes the waiters it satisfies. */
  void batchStarts(Zxid last) {
    synchronized (waiting) {
      while (!waiting.isEmpty() && waiting.peek().zxid.compareTo(last) <= 0) {
        due.add(waiting.poll());
      }
    }
    dueNext = 0;
  }

  /** Apply thread: the txn at {@code zxid} was applied and returned {@code result}; hands it to its waiters. */
  void applied(Zxid zxid, Object result) {
    while (dueNext < due.size()) {
      Waiter w = due.get(dueNext);
      int order = w.zxid.compareTo(zxid);
      if (order > 0) {
        return;
      }
      if (order == 0) {
        w.result(result);
      }
      dueNext++;
    }
  }

  /** Apply thread, after a batch: everything up to {@code last} is applied; completes who waited for it. */
  void batchDone(Zxid last) {
    advance(last, false);
  }

  /** Apply thread: the state was replaced by the snapshot at {@code zxid}; completes who waited for it. */
  void restored(Zxid zxid) {
    advance(zxid, true);
  }

  private void advance(Zxid zxid, boolean restore) {
    List<Waiter> ready = due.isEmpty() ? null : new ArrayList<>(due);
    due.clear();
    Zxid restored;
    synchronized (waiting) {
      if (restore) {
        restoredAt = zxid;
        applied = zxid;
      } else if (zxid.compareTo(applied) > 0) {
        applied = zxid;
      }
      while (!waiting.isEmpty() && waiting.peek().zxid.compareTo(applied) <= 0) {
        if (ready == null) {
          ready = new ArrayList<>();
        }
        ready.add(waiting.poll());
      }
      restored = restoredAt;
    }
    if (ready != null) {
      List<Waiter> done = ready;
      callbacks.execute(() -> done.forEach(w -> {
        w.complete(serverId, restored);
        hops.stamp(HopTrace.Hop.COMPLETED, w.zxid);
      }));
    }
  }

  /**
   * Fails every waiter, and every later {@link #await}, with {@code reason}: the node stops. Includes the waiters
   * of a batch whose apply threw. Call once the apply thread has stopped, or from it. Idempotent.
   */
  void failAll(ZabException reason) {
    List<Waiter> failed;
    ZabException failure;
    synchronized (waiting) {
      if (closedWith == null) {
        closedWith = reason != null ? reason : new ClosedException("server " + serverId + " is closed");
      }
      failure = closedWith;
      failed = new ArrayList<>(waiting);
      waiting.clear();
      failed.addAll(due); // completing twice is harmless: the first completion wins
    }
    failed.forEach(w -> callbacks.fail(w.future, failure));
  }

  /** One future waiting for a zxid; the result slot is set (apply thread) only for a {@link ResultFuture}. */
  private static final class Waiter implements Comparable<Waiter> {
    final Zxid zxid;
    final CompletableFuture<?> future;
    final boolean wantsResult;
    private Object result;
    private boolean hasResult;

    Waiter(Zxid zxid, CompletableFuture<?> future) {
      this.zxid = zxid;
      this.future = future;
      this.wantsResult = future instanceof ResultFuture;
    }

    void result(Object r) {
      if (wantsResult) {
        result = r;
        hasResult = true;
      }
    }

    /** Callback executor: the zxid, the result, or (for a result future without one) why there is none. */
    @SuppressWarnings("unchecked")
    void complete(long serverId, Zxid restoredAt) {
      if (!wantsResult) {
        ((CompletableFuture<Zxid>) future).complete(zxid);
      } else if (hasResult) {
        ((ResultFuture<?>) future).applied(zxid, result);
      } else {
        future.completeExceptionally(new ResultUnavailableException(serverId, zxid, restoredAt));
      }
    }

    @Override
    public int compareTo(Waiter o) {
      return zxid.compareTo(o.zxid);
    }
  }
}
