package io.zab.examples.client;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client session kept alive by heartbeats to one node (every sixth of its timeout) until
 * {@link #stopHeartbeats} or {@link #close}. Closing stops the heartbeats; it does not close the session.
 *
 * <pre>{@code
 * try (SessionKeeper s = new SessionKeeper(client, 5000, "worker")) {
 *   client.acquire("jobs", s.session(), 30_000);
 * }
 * }</pre>
 */
public final class SessionKeeper implements AutoCloseable {
  private final long session;
  private final ScheduledExecutorService beats;

  /** Opens the session; throws if the node refuses. */
  public SessionKeeper(KvClient client, long timeoutMs, String name) {
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
        // The node may be electing or gone; the next beat retries, and the session expires if none lands.
      }
    }, 0, Math.max(100, timeoutMs / 6), TimeUnit.MILLISECONDS);
  }

  public long session() {
    return session;
  }

  /** Stops heartbeating, as if the client died: the session expires after its timeout. */
  public void stopHeartbeats() {
    beats.shutdownNow();
  }

  @Override
  public void close() {
    stopHeartbeats();
  }
}
