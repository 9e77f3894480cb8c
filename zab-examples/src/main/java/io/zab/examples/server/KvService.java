package io.zab.examples.server;

import io.zab.Applied;
import io.zab.examples.kv.Command;
import io.zab.examples.kv.Entry;
import io.zab.examples.kv.KvListener;
import io.zab.examples.kv.KvStateMachine;
import io.zab.examples.kv.Outcome;
import io.zab.examples.kv.RequestCodec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node program's service logic, independent of HTTP: writes go through the replicated log and wait for
 * their outcome; reads are local (S9) or follow a sync barrier; lock acquires may long-poll.
 *
 * <p>Thread-safe. Futures complete on the callback executor, never on the node's apply thread.
 */
public final class KvService implements KvListener {
  private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

  private final KvStateMachine stateMachine = new KvStateMachine(this);
  /** Random per process: tells this process's session clock readings from other processes' (see Command.Tick). */
  private final long processTag = new SecureRandom().nextLong();
  private final LockWaits lockWaits;
  private final Duration requestTimeout;
  private final Executor callbacks;
  private volatile ReplicatedLog log;

  public KvService(Executor callbacks, Duration requestTimeout) {
    this.lockWaits = new LockWaits(callbacks);
    this.requestTimeout = requestTimeout;
    this.callbacks = callbacks;
  }

  /** The state machine to hand to the node builder. */
  public KvStateMachine stateMachine() {
    return stateMachine;
  }

  /** Connects the built node; the service is usable from then on. */
  public void attach(ReplicatedLog log) {
    this.log = log;
  }

  public ReplicatedLog log() {
    return log;
  }

  /** A random tag of this process: distinguishes its clock readings from other processes'. */
  public long processTag() {
    return processTag;
  }

  /**
   * Submits {@code command} through the log and completes with its outcome as applied on this node (zab hands
   * this node's apply result to the submit's future). While zab says the txn was certainly not proposed (no
   * leader yet, no quorum, overloaded), it is resubmitted until the request timeout, so a client does not see the
   * errors of a short election.
   */
  public CompletableFuture<Outcome> execute(Command command) {
    byte[] txn = RequestCodec.encode(command);
    return withRetries(() -> log.<Outcome>submitForResult(txn))
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(Applied::result);
  }

  /** A read of this node's state: local (may miss recent writes, S9) or after a sync barrier. */
  public CompletableFuture<Optional<Entry>> get(String key, boolean consistent) {
    if (!consistent) {
      return CompletableFuture.completedFuture(stateMachine.get(key));
    }
    return withRetries(log::sync)
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(z -> stateMachine.get(key));
  }

  /** The entries whose key starts with {@code prefix}: local (may be stale, S9) or after a sync barrier. */
  public CompletableFuture<SortedMap<String, Entry>> list(String prefix, boolean consistent) {
    if (!consistent) {
      return CompletableFuture.completedFuture(stateMachine.entries(prefix));
    }
    return withRetries(log::sync)
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(z -> stateMachine.entries(prefix));
  }

  /**
   * Acquires a lock for a session. With {@code wait} zero this is a try-acquire; otherwise the session
   * queues (FIFO) and the future completes when the lock is granted or {@code wait} has passed, in which
   * case the wait is cancelled through the log (the cancel reports a grant that won the race).
   */
  public CompletableFuture<Outcome> acquire(String lock, long session, Duration wait) {
    if (wait.isZero() || wait.isNegative()) {
      return execute(new Command.Acquire(lock, session, false));
    }
    CompletableFuture<Outcome> granted = lockWaits.register(lock, session);
    return execute(new Command.Acquire(lock, session, true))
        .thenCompose(outcome -> {
          if (!(outcome instanceof Outcome.LockQueued)) {
            lockWaits.forget(lock, session);
            return CompletableFuture.completedFuture(outcome);
          }
          return granted
              .completeOnTimeout(new Outcome.NotAcquired(lock, session), wait.toMillis(), TimeUnit.MILLISECONDS)
              .thenCompose(o -> o instanceof Outcome.NotAcquired
                  ? cancelWait(lock, session)
                  : CompletableFuture.completedFuture(o));
        })
        .whenComplete((o, e) -> {
          if (e != null) {
            lockWaits.forget(lock, session);
          }
        });
  }

  /** Calls {@code call} again, after a pause, for as long as it fails with an error that says "not applied". */
  private <T> CompletableFuture<T> withRetries(Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(call, System.nanoTime() + requestTimeout.toNanos(), result);
    return result;
  }

  private <T> void attempt(Supplier<CompletableFuture<T>> call, long deadline, CompletableFuture<T> result) {
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    f.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
        return;
      }
      Throwable cause = unwrap(error);
      if (ZabErrors.retryable(cause) && System.nanoTime() + RETRY_PAUSE.toNanos() - deadline < 0) {
        CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS, callbacks)
            .execute(() -> attempt(call, deadline, result));
      } else {
        result.completeExceptionally(cause);
      }
    });
  }

  private CompletableFuture<Outcome> cancelWait(String lock, long session) {
    lockWaits.forget(lock, session);
    return execute(new Command.CancelWait(lock, session));
  }

  // ---- KvListener: from the apply thread

  @Override
  public void lockGranted(String lock, long sessionId, long fencingToken) {
    lockWaits.granted(lock, sessionId, fencingToken);
  }

  @Override
  public void sessionEnded(long sessionId) {
    lockWaits.sessionEnded(sessionId);
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
