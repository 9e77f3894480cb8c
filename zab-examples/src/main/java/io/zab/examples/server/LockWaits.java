package io.zab.examples.server;

import io.zab.examples.kv.Outcome;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Clients long-polling for a lock on this node. Registered before the acquire txn is submitted, so a grant
 * applied at any time after is seen; completed when the state machine grants the lock or ends the session.
 */
final class LockWaits {
  private record Key(String lock, long session) {}

  private final Map<Key, CompletableFuture<Outcome>> waits = new ConcurrentHashMap<>();
  private final Executor callbacks;

  LockWaits(Executor callbacks) {
    this.callbacks = callbacks;
  }

  CompletableFuture<Outcome> register(String lock, long session) {
    return waits.computeIfAbsent(new Key(lock, session), k -> new CompletableFuture<>());
  }

  void forget(String lock, long session) {
    waits.remove(new Key(lock, session));
  }

  void granted(String lock, long session, long token) {
    complete(new Key(lock, session), new Outcome.LockGranted(lock, session, token));
  }

  void sessionEnded(long session) {
    for (Key k : waits.keySet()) {
      if (k.session() == session) {
        complete(k, new Outcome.UnknownSession(session));
      }
    }
  }

  private void complete(Key key, Outcome outcome) {
    CompletableFuture<Outcome> f = waits.remove(key);
    if (f != null) {
      callbacks.execute(() -> f.complete(outcome));
    }
  }
}
