package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.protocol.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The ticker is the core's only clock, so a stall of the process must not reach the core as a burst of ticks: a
 * fixed-rate timer held for half a second fires every missed period at once, and each counted tick ages every peer's
 * "last heard" (the flaky "the leader was lost" of LargeTransactionsTest was a GC pause of about 0.45 s in the test
 * JVM turning into nine ticks before the queued PINGs and ACKs were read).
 */
class TickerTest {
  private static final long TICK_MILLIS = 50;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

  @Test
  void regularFiringsEachCountAsOneTick() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    EventQueue queue = new EventQueue(16);
    try (Ticker ticker = Ticker.manual(TICK_MILLIS, queue, now::get)) {
      for (int i = 0; i < 10; i++) {
        ticker.fire();
        now.addAndGet(TICK_NANOS);
      }
    }
    assertThat(ticks(queue)).isEqualTo(10);
  }

  @Test
  void theCatchUpBurstAfterAStallIsOneTick() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    EventQueue queue = new EventQueue(16);
    try (Ticker ticker = Ticker.manual(TICK_MILLIS, queue, now::get)) {
      ticker.fire();
      now.addAndGet(30 * TICK_NANOS); // the process stood still for 30 periods
      for (int i = 0; i < 30; i++) {
        ticker.fire(); // the timer runs every missed period at once
        now.addAndGet(20_000); // 20 µs apart
      }
      assertThat(ticks(queue)).as("the tick before the stall and one for the whole burst").isEqualTo(2);
      now.addAndGet(TICK_NANOS);
      ticker.fire();
      assertThat(ticks(queue)).as("ticking goes on at the normal pace after the burst").isEqualTo(1);
    }
  }

  @Test
  void aLateButNotBurstingFiringStillCounts() {
    AtomicLong now = new AtomicLong(0);
    EventQueue queue = new EventQueue(16);
    try (Ticker ticker = Ticker.manual(TICK_MILLIS, queue, now::get)) {
      ticker.fire();
      now.addAndGet(TICK_NANOS / 2); // a fixed-rate timer's next firing after a late one: half a period
      ticker.fire();
      now.addAndGet(TICK_NANOS / 2 - 1);
      ticker.fire(); // less than half a period after the last counted one
    }
    assertThat(ticks(queue)).isEqualTo(2);
  }

  private static int ticks(EventQueue queue) {
    List<Event> drained = new ArrayList<>();
    queue.drainTo(drained);
    assertThat(drained).allMatch(e -> e instanceof Event.Tick);
    return drained.size();
  }
}
