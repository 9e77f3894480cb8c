package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The protocol's batches run one at a time and in arrival order, on the protocol thread or on a thread that produced
 * an event while it was idle ({@link ProtocolLoop#tryRunHere}, issue 12). The protocol thread looks for work on its
 * own only once a minute here, so a lost wake-up fails a test instead of being covered up.
 */
class ProtocolLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String PROTOCOL = "@zab-protocol-3";

  private final RecordingWork work = new RecordingWork();
  private final EventQueue queue = new EventQueue(1_024);
  private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
  private final ProtocolLoop loop = new ProtocolLoop(3, work, queue, fatal::add, 60_000);

  @AfterEach
  void stop() {
    work.release();
    loop.stop();
  }

  /** The test's own thread, as a step names it. */
  private static String here() {
    return "@" + Thread.currentThread().getName();
  }

  private static Event.Persisted persisted(long counter) {
    return new Event.Persisted(Zxid.of(1, counter));
  }

  private void awaitStep(String step) {
    LocalCluster.awaitCondition(WAIT, () -> work.steps.contains(step), () -> step + " in " + work.steps);
  }

  @Test
  void whileTheProtocolIsIdleTheProducerRunsTheBatchItself() {
    loop.start();

    assertThat(loop.tryRunHere(persisted(1))).isTrue();

    assertThat(work.steps).containsExactly("handle [" + persisted(1) + "] " + here(),
        "run [" + new SaveAcceptedEpoch(1) + "] " + here(), "done [" + persisted(1) + "] " + here());
  }

  @Test
  void anEventQueuedEarlierIsHandledFirstSoTheProducerQueuesBehindIt() {
    queue.post(new Event.SnapshotTaken(Zxid.of(1, 1)));

    assertThat(loop.tryRunHere(persisted(2))).as("an earlier event waits").isFalse();
    queue.post(persisted(2));
    loop.start();

    awaitStep("done [" + new Event.SnapshotTaken(Zxid.of(1, 1)) + ", " + persisted(2) + "] " + PROTOCOL);
    assertThat(work.handled).containsExactly(new Event.SnapshotTaken(Zxid.of(1, 1)), persisted(2));
  }

  @Test
  void whileTheProtocolThreadRunsABatchTheProducerDoesNotWaitAndItsEventRunsNext() throws Exception {
    loop.start();
    queue.post(new Event.ReadBarrier(RecordingWork.HOLD));
    assertThat(work.holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    // From another thread, as the log writer would: it must come back at once, not wait for the lock.
    boolean ran = CompletableFuture.supplyAsync(() -> loop.tryRunHere(persisted(1))).get(5, TimeUnit.SECONDS);
    assertThat(ran).isFalse();
    queue.post(persisted(1));
    work.release();

    awaitStep("done [" + persisted(1) + "] " + PROTOCOL);
    assertThat(work.handled).containsExactly(new Event.ReadBarrier(RecordingWork.HOLD), persisted(1));
    assertThat(work.overlaps).hasValue(0);
  }

  @Test
  void whatTheProducerMayNotCarryOutGoesToTheProtocolThreadBeforeAnythingQueuedAfter() {
    assertThat(loop.tryRunHere(new Event.ReadBarrier(5))).isTrue();
    assertThat(loop.tryRunHere(persisted(6))).as("the hand-off is not carried out yet").isFalse();
    queue.post(persisted(6));
    loop.start();

    awaitStep("done [" + persisted(6) + "] " + PROTOCOL);
    assertThat(work.steps).containsExactly("handle [" + new Event.ReadBarrier(5) + "] " + here(),
        "run [" + new SaveCurrentEpoch(5) + "] " + PROTOCOL, "done [" + new Event.ReadBarrier(5) + "] " + PROTOCOL,
        "handle [" + persisted(6) + "] " + PROTOCOL, "run [" + new SaveAcceptedEpoch(6) + "] " + PROTOCOL,
        "done [" + persisted(6) + "] " + PROTOCOL);
  }

  @Test
  void aHandOffWakesTheProtocolThreadAfterItWentBackToWaiting() {
    loop.start();
    queue.post(persisted(1));
    awaitStep("done [" + persisted(1) + "] " + PROTOCOL);

    // The protocol thread is on its way back to waiting (for a minute): the hand-off must wake it.
    Event barrier = new Event.ReadBarrier(2);
    LocalCluster.awaitCondition(WAIT, () -> loop.tryRunHere(barrier), () -> "the protocol thread idle");

    awaitStep("done [" + barrier + "] " + PROTOCOL);
    assertThat(work.carriedOut).containsExactly(new SaveAcceptedEpoch(1), new SaveCurrentEpoch(2));
  }

  @Test
  void anEventProducedInsideABatchOnTheThreadRunningItIsQueuedNotRunInTheMiddleOfIt() {
    // As a transport thread would if a send delivered synchronously: the lock is reentrant, so only an explicit check
    // keeps the second batch from running inside the first.
    List<Boolean> nested = new CopyOnWriteArrayList<>();
    work.whileCarryingOut = () -> {
      if (nested.isEmpty()) {
        nested.add(loop.tryRunHere(persisted(2)));
      }
    };
    loop.start();

    assertThat(loop.tryRunHere(persisted(1))).isTrue();

    assertThat(nested).containsExactly(false);
    assertThat(work.handled).containsExactly(persisted(1));
    assertThat(work.overlaps).hasValue(0);
  }

  @Test
  void aFailureOnTheProducingThreadIsFatalAndNothingRunsAfterIt() throws Exception {
    loop.start();

    assertThat(loop.tryRunHere(new Event.ReadBarrier(RecordingWork.FAIL))).as("taken, by failing").isTrue();

    assertThat(fatal).singleElement().satisfies(e -> assertThat(e).hasMessage("the core failed"));
    assertThat(loop.tryRunHere(persisted(2))).isFalse();
    queue.post(persisted(2)); // as a node would until the fatal stop closes the queue
    LocalCluster.awaitCondition(WAIT, () -> work.closes.get() == 1, () -> "the protocol thread ends: " + work.steps);
    assertThat(work.handled).containsExactly(new Event.ReadBarrier(RecordingWork.FAIL));
    assertThat(work.carriedOut).isEmpty();
  }

  @Test
  void stopWaitsForABatchRunningOnTheProducingThreadAndNothingRunsAfter() throws Exception {
    loop.start();
    CompletableFuture<Boolean> producer = CompletableFuture.supplyAsync(
        () -> loop.tryRunHere(new Event.ReadBarrier(RecordingWork.HOLD)));
    assertThat(work.holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(loop::stop);

    work.release();
    stopped.get(5, TimeUnit.SECONDS);

    assertThat(producer.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(work.steps.get(work.steps.size() - 1)).isEqualTo("close");
    assertThat(work.closes).hasValue(1);
    assertThat(loop.tryRunHere(persisted(9))).isFalse();
    assertThat(work.handled).containsExactly(new Event.ReadBarrier(RecordingWork.HOLD));
  }

  @Test
  void eventsFromTwoThreadsAreEachHandledOnceInTheirOrderOneBatchAtATime() throws Exception {
    int n = 5_000;
    loop.start();
    CompletableFuture<Void> poster = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= n; i++) {
        queue.post(new Event.SnapshotTaken(Zxid.of(2, i)));
      }
    });
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= n; i++) {
        Event e = i % 10 == 0 ? new Event.ReadBarrier(i) : persisted(i); // every tenth is handed off
        if (!loop.tryRunHere(e)) {
          queue.post(e);
        }
      }
    });
    poster.get(20, TimeUnit.SECONDS);
    producer.get(20, TimeUnit.SECONDS);
    LocalCluster.awaitCondition(Duration.ofSeconds(20), () -> work.carriedOut.size() == 2 * n,
        () -> work.carriedOut.size() + " actions carried out");

    List<Long> posted = new ArrayList<>();
    List<Long> produced = new ArrayList<>();
    for (Event e : work.handled) {
      if (e instanceof Event.SnapshotTaken s) {
        posted.add(s.zxid().counter());
      } else {
        produced.add(e instanceof Event.Persisted p ? p.zxid().counter() : ((Event.ReadBarrier) e).requestId());
      }
    }
    assertThat(posted).hasSize(n).isSorted().doesNotHaveDuplicates();
    assertThat(produced).hasSize(n).isSorted().doesNotHaveDuplicates();
    assertThat(work.carriedOut).as("each action once, in the order asked").isEqualTo(work.asked);
    assertThat(work.overlaps).hasValue(0);
    assertThat(work.steps.stream().filter(s -> s.startsWith("run ") && s.contains("SaveCurrentEpoch"))
        .filter(s -> !s.endsWith(PROTOCOL)).toList()).as("what only the protocol thread may do").isEmpty();
    assertThat(fatal).isEmpty();
  }
}
