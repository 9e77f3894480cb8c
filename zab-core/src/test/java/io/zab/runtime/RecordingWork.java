package io.zab.runtime;

import io.zab.protocol.Action;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ProtocolWork} that records which thread took which step. Each event yields one action named by a
 * number: {@link Event.Persisted} and {@link Event.SnapshotTaken} one any thread may carry out (a
 * {@link SaveAcceptedEpoch} of the zxid's counter), {@link Event.ReadBarrier} one for the protocol thread only (a
 * {@link SaveCurrentEpoch} of the request id). A {@link Event.ReadBarrier} of {@link #FAIL} throws; one of
 * {@link #HOLD} waits in {@link #handle} until {@link #release}.
 */
final class RecordingWork implements ProtocolWork {
  static final long FAIL = 666;
  static final long HOLD = 777;

  /** Every step, in order: "handle [events] @thread", "run [actions] @thread", "done [events] @thread", "close". */
  final List<String> steps = Collections.synchronizedList(new ArrayList<>());
  /** Every action carried out, in order. */
  final List<Action> carriedOut = Collections.synchronizedList(new ArrayList<>());
  /** Every action the core asked for, in order. */
  final List<Action> asked = Collections.synchronizedList(new ArrayList<>());
  /** Every event handled, in order. */
  final List<Event> handled = Collections.synchronizedList(new ArrayList<>());
  /** Steps that started while another was running: must stay 0. */
  final AtomicInteger overlaps = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicBoolean busy = new AtomicBoolean();
  /** Called while actions are carried out, on the thread doing it (a transport that delivers from a send). */
  volatile Runnable whileCarryingOut = () -> {};

  void release() {
    released.countDown();
  }

  @Override
  public List<Action> handle(List<Event> batch) {
    enter();
    try {
      steps.add("handle " + batch + " @" + thread());
      List<Action> out = new ArrayList<>();
      for (Event e : batch) {
        handled.add(e);
        if (e instanceof Event.ReadBarrier b && b.requestId() == FAIL) {
          throw new IllegalStateException("the core failed");
        }
        if (e instanceof Event.ReadBarrier b && b.requestId() == HOLD) {
          holding.countDown();
          await(released);
        }
        out.add(actionFor(e));
      }
      asked.addAll(out);
      return out;
    } finally {
      leave();
    }
  }

  private static Action actionFor(Event e) {
    if (e instanceof Event.Persisted p) {
      return new SaveAcceptedEpoch(p.zxid().counter());
    } else if (e instanceof Event.SnapshotTaken s) {
      return new SaveAcceptedEpoch(s.zxid().counter());
    } else if (e instanceof Event.ReadBarrier b) {
      return new SaveCurrentEpoch(b.requestId());
    }
    throw new IllegalArgumentException("no action for " + e);
  }

  @Override
  public boolean runsAnywhere(List<Action> actions) {
    return actions.stream().noneMatch(a -> a instanceof SaveCurrentEpoch);
  }

  @Override
  public List<Event> carryOut(List<Action> actions) {
    enter();
    try {
      steps.add("run " + actions + " @" + thread());
      carriedOut.addAll(actions);
      whileCarryingOut.run();
      return List.of();
    } finally {
      leave();
    }
  }

  @Override
  public void batchDone(List<Event> batch) {
    enter();
    try {
      steps.add("done " + batch + " @" + thread());
    } finally {
      leave();
    }
  }

  @Override
  public void close() {
    steps.add("close");
    closes.incrementAndGet();
  }

  private void enter() {
    if (!busy.compareAndSet(false, true)) {
      overlaps.incrementAndGet();
    }
  }

  private void leave() {
    busy.set(false);
  }

  private static String thread() {
    return Thread.currentThread().getName();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
