package io.zab.examples.server;

import io.zab.Zxid;
import io.zab.examples.kv.Outcome;
import io.zab.examples.kv.Request;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches applied txns to the requests this process submitted. Each request carries this process's random
 * tag and a sequence number; when the state machine applies a txn with our tag, the waiting future gets the
 * outcome. Futures complete on {@code callbacks}, never on the apply thread, so a slow client cannot stall it.
 */
final class PendingOutcomes {
  private final long originTag = new SecureRandom().nextLong();
  private final AtomicLong nextSeq = new AtomicLong();
  private final Map<Long, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
  private final Executor callbacks;

  PendingOutcomes(Executor callbacks) {
    this.callbacks = callbacks;
  }

  long originTag() {
    return originTag;
  }

  /** A new request number and the future its outcome will complete. */
  record Ticket(long seq, CompletableFuture<Outcome> outcome) {}

  Ticket register() {
    long seq = nextSeq.incrementAndGet();
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    waiting.put(seq, f);
    return new Ticket(seq, f);
  }

  /** From the apply thread: hands the outcome to the request it belongs to, if it is ours. */
  void applied(Zxid zxid, Request request, Outcome outcome) {
    if (request == null || request.originTag() != originTag) {
      return;
    }
    CompletableFuture<Outcome> f = waiting.remove(request.seq());
    if (f != null) {
      callbacks.execute(() -> f.complete(outcome));
    }
  }

  /**
   * Fails the request unless its outcome has already been handed over (the txn was applied here, which
   * happens before the node completes the submit future).
   */
  void fail(long seq, Throwable error) {
    CompletableFuture<Outcome> f = waiting.remove(seq);
    if (f != null) {
      callbacks.execute(() -> f.completeExceptionally(error));
    }
  }

  int size() {
    return waiting.size();
  }
}
