package io.zab.examples.server;

import io.zab.examples.kv.Command;
import io.zab.examples.kv.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches client heartbeats (S9): instead of one txn per heartbeat, every {@link #flush} turns all heartbeats
 * received since the last one into a single {@code TouchSessions} txn. A heartbeat's future completes when
 * its batch has been applied: true if the session was alive, false if it no longer exists.
 */
final class SessionHeartbeats {
  private static final Logger log = LoggerFactory.getLogger(SessionHeartbeats.class);

  private final KvService service;
  private Map<Long, CompletableFuture<Boolean>> batch = new HashMap<>();
  private boolean inFlight;

  SessionHeartbeats(KvService service) {
    this.service = service;
  }

  synchronized CompletableFuture<Boolean> heartbeat(long session) {
    return batch.computeIfAbsent(session, id -> new CompletableFuture<>());
  }

  /** Submits the pending heartbeats as one txn, unless the previous batch is still in flight. */
  void flush() {
    Map<Long, CompletableFuture<Boolean>> sending;
    synchronized (this) {
      if (inFlight || batch.isEmpty()) {
        return;
      }
      sending = batch;
      batch = new HashMap<>();
      inFlight = true;
    }
    List<Long> ids = new ArrayList<>(sending.keySet());
    service.execute(new Command.TouchSessions(ids)).whenComplete((outcome, error) -> {
      synchronized (this) {
        inFlight = false;
      }
      if (error != null) {
        log.debug("heartbeat batch of {} sessions failed: {}", ids.size(), error.toString());
        sending.values().forEach(f -> f.completeExceptionally(error));
        return;
      }
      List<Long> unknown = ((Outcome.SessionsTouched) outcome).unknown();
      sending.forEach((id, f) -> f.complete(!unknown.contains(id)));
    });
  }
}
