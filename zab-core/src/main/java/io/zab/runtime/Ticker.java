package io.zab.runtime;

import io.zab.ZabThreads;
import io.zab.protocol.Event;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Posts a {@link Event.Tick} to the protocol thread every {@code tickMillis}: the core's only clock. */
final class Ticker implements AutoCloseable {
  private static final Event.Tick TICK = new Event.Tick();
  private final ScheduledExecutorService timer;

  Ticker(long serverId, long tickMillis, EventQueue queue) {
    this.timer = Executors.newSingleThreadScheduledExecutor(ZabThreads.factory(serverId, "ticker"));
    timer.scheduleAtFixedRate(() -> queue.post(TICK), tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  /** Stops ticking. Idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
