package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  @Test
  void clientEventsAreBoundedButInternalOnesAlwaysFitAndOrderIsKept() throws Exception {
    EventQueue q = new EventQueue(2);
    assertThat(q.offer(new Event.ReadBarrier(1))).isTrue();
    assertThat(q.offer(new Event.ReadBarrier(2))).isTrue();
    assertThat(q.offer(new Event.ReadBarrier(3))).as("over the bound").isFalse();
    q.post(new Event.Persisted(Zxid.of(1, 1)));
    List<Event> drained = new ArrayList<>();
    assertThat(q.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(new Event.ReadBarrier(1), new Event.ReadBarrier(2),
        new Event.Persisted(Zxid.of(1, 1)));
    assertThat(q.offer(new Event.ReadBarrier(4))).as("room again after draining").isTrue();
  }

  @Test
  void aReceivedMessagePastTheBoundIsTakenAtOnceSoNoTransportThreadEverWaits() throws Exception {
    EventQueue q = new EventQueue(1);
    q.addReceived(new Event.Tick());
    assertThat(q.full()).isTrue();
    // Issue 10, item 6: this used to wait (a Netty event loop, holding a link's monitor, stalled every peer).
    CompletableFuture.runAsync(() -> q.addReceived(new Event.ReadBarrier(2))).get(5, TimeUnit.SECONDS);
    List<Event> drained = new ArrayList<>();
    assertThat(q.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(new Event.Tick(), new Event.ReadBarrier(2));
    assertThat(q.full()).isFalse();
  }

  @Test
  void closeDropsEverythingAndEndsDraining() throws Exception {
    EventQueue q = new EventQueue(2);
    q.post(new Event.Tick());
    q.close();
    assertThat(q.offer(new Event.ReadBarrier(1))).isFalse();
    assertThat(q.drainTo(new ArrayList<>())).isFalse();
    assertThat(q.awaitEvents(60_000)).as("closed: returns at once").isFalse();
    assertThat(q.idle()).as("an event produced now is dropped, not next").isFalse();
  }

  @Test
  void aWakeBeforeTheWaitIsNotLostAndIsUsedOnce() throws Exception {
    EventQueue q = new EventQueue(2);
    assertThat(q.idle()).isTrue();
    q.wake(); // before anybody waits
    assertThat(q.awaitEvents(60_000)).as("returns at once, not after a minute").isTrue();
    assertThat(q.idle()).as("a wake queues no event").isTrue();
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return q.awaitEvents(60_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    q.wake(); // whether the waiter has parked yet or not
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anEventWakesTheWaiterAndIsDrainedWithoutWaiting() throws Exception {
    EventQueue q = new EventQueue(2);
    q.post(new Event.Tick());
    assertThat(q.idle()).isFalse();
    assertThat(q.awaitEvents(60_000)).isTrue();
    List<Event> drained = new ArrayList<>();
    assertThat(q.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(new Event.Tick());
    assertThat(q.idle()).isTrue();
  }
}
