package io.zab.examples.demo;

import io.zab.examples.client.KvClient;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A client session kept alive by heartbeats to one node until {@link #stopHeartbeats} or close. */
final class SessionKeeper implements AutoCloseable {
  final KvClient client;
  final long session;
  private final ScheduledExecutorService beats;

  SessionKeeper(KvClient client, long timeoutMs, String name) {
    this.client = client;
    KvClient.Response opened = client.openSession(timeoutMs);
    if (!opened.ok()) {
      throw new IllegalStateException("cannot open a session on " + client.baseUrl() + ": " + opened);
    }
    this.session = opened.number("session");
    beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-heartbeat");
      t.setDaemon(true);
      return t;
    });
    beats.scheduleWithFixedDelay(() -> {
      try {
        client.heartbeat(session);
      } catch (RuntimeException e) {
        // The node may be electing or gone; the next beat retries. Expiry is what the demo shows.
      }
    }, 0, Math.max(100, timeoutMs / 6), TimeUnit.MILLISECONDS);
  }

  /** Simulates the client dying: no more heartbeats, so the session expires after its timeout. */
  void stopHeartbeats() {
    beats.shutdownNow();
  }

  @Override
  public void close() {
    stopHeartbeats();
  }
}
