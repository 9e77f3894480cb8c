package io.zab.runtime;

import io.zab.ZabThreads;
import io.zab.protocol.Event;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Posts a {@link Event.Tick} to the protocol thread every {@code tickMillis}: the core's only clock. After a stall
 * the timer's catch-up burst counts as one tick ({@link TickSpacing}).
 */
final class Ticker implements AutoCloseable {
  private static final Event.Tick TICK = new Event.Tick();
  private final ScheduledExecutorService timer;
  private final EventQueue queue;
  private final LongSupplier nanoClock;
  private final TickSpacing spacing;

  Ticker(long serverId, long tickMillis, EventQueue queue) {
    this(Executors.newSingleThreadScheduledExecutor(ZabThreads.factory(serverId, "ticker")), tickMillis, queue,
        System::nanoTime);
    timer.scheduleAtFixedRate(this::fire, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  private Ticker(ScheduledExecutorService timer, long tickMillis, EventQueue queue, LongSupplier nanoClock) {
    this.timer = timer;
    this.queue = queue;
    this.nanoClock = nanoClock;
    this.spacing = new TickSpacing(TimeUnit.MILLISECONDS.toNanos(tickMillis));
  }

  /** A ticker without a timer of its own: whoever holds it calls {@link #fire()} (tests, with their own clock). */
  static Ticker manual(long tickMillis, EventQueue queue, LongSupplier nanoClock) {
    return new Ticker(null, tickMillis, queue, nanoClock);
  }

  /** One firing of the timer: posts a tick unless it is part of a catch-up burst. */
  void fire() {
    if (spacing.counts(nanoClock.getAsLong())) {
      queue.post(TICK);
    }
  }

  /** Stops ticking. Idempotent. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
