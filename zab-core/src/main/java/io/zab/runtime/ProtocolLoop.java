package io.zab.runtime;

import io.zab.ZabThreads;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs the protocol: the queued events, in arrival order, one batch at a time through {@link ProtocolWork}, each
 * batch under one lock. The protocol thread drains every queued event into a batch. A thread that produces an event
 * while the protocol is idle may instead run that event's batch itself ({@link #tryRunHere}), which saves the hand-off
 * to the protocol thread (issue 12): the log writer does so with its durability reports (a follower's ACK), the
 * transport's thread with a received message (a follower's PROPOSAL to its log writer, the leader's ACK to COMMIT).
 *
 * <p>Such a thread never waits for the lock (the protocol thread may be waiting for it: a currentEpoch save waits
 * for the log), and it carries out only actions that neither wait nor touch the disk
 * ({@link ProtocolWork#runsAnywhere}); the rest of a batch it leaves to the protocol thread, which carries it out
 * before it takes anything else.
 */
final class ProtocolLoop {
  /** How long the protocol thread waits for work before looking again; every event and hand-off wakes it. */
  static final long IDLE_WAIT_MILLIS = 1_000;

  private final ProtocolWork work;
  private final EventQueue queue;
  private final Consumer<Throwable> onFatal;
  private final long idleWaitMillis;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private Leftover leftover; // guarded by lock
  private boolean ended; // guarded by lock: nothing more runs

  /** A batch the core handled on another thread, with the actions that thread left to the protocol thread. */
  private record Leftover(List<Event> batch, List<Action> actions) {}

  ProtocolLoop(long serverId, ProtocolWork work, EventQueue queue, Consumer<Throwable> onFatal) {
    this(serverId, work, queue, onFatal, IDLE_WAIT_MILLIS);
  }

  /** @param idleWaitMillis how long the protocol thread waits before looking for work anyway (tests: long) */
  ProtocolLoop(long serverId, ProtocolWork work, EventQueue queue, Consumer<Throwable> onFatal, long idleWaitMillis) {
    this.work = work;
    this.queue = queue;
    this.onFatal = onFatal;
    this.idleWaitMillis = idleWaitMillis;
    this.thread = ZabThreads.newThread(serverId, "protocol", this::run);
  }

  void start() {
    thread.start();
  }

  /** Whether the caller is the protocol thread (e.g. a listener called from it). */
  boolean isCurrentThread() {
    return thread == Thread.currentThread();
  }

  /**
   * Stops taking events and waits for the batch in progress, on whichever thread, to finish. Idempotent. Call it
   * after starting.
   */
  void stop() {
    queue.close();
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs the batch of {@code e} on the calling thread, if nothing else runs one and nothing is queued before it.
   * Never waits. An exception of the batch is fatal ({@code onFatal}), as on the protocol thread.
   *
   * @return false if it did not: the caller queues {@code e}
   */
  boolean tryRunHere(Event e) {
    // Not nested in a batch of this thread's (a transport that delivers synchronously from a send): the lock is
    // reentrant, and the inner batch would run in the middle of the outer one.
    if (lock.isHeldByCurrentThread() || !lock.tryLock()) {
      return false;
    }
    try {
      if (ended || leftover != null || !queue.idle()) {
        return false;
      }
      List<Event> batch = List.of(e);
      finish(batch, work.handle(batch), false);
      return true;
    } catch (Exception | Error t) {
      ended = true; // the core may be half-way through the batch: it must not take another
      queue.wake(); // the protocol thread ends as soon as it sees that
      onFatal.accept(t);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    List<Event> batch = new ArrayList<>();
    try {
      while (queue.awaitEvents(idleWaitMillis) && runQueued(batch)) {
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      onFatal.accept(e);
    } finally {
      lock.lock();
      try {
        ended = true;
        work.close();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The protocol thread's turn: what another thread left, then every queued event. False once it must end. */
  private boolean runQueued(List<Event> batch) throws IOException {
    lock.lock();
    try {
      if (ended) {
        return false;
      }
      Leftover l = leftover;
      if (l != null) {
        leftover = null;
        finish(l.batch(), l.actions(), true);
      }
      if (!queue.drainTo(batch)) {
        return false;
      }
      if (!batch.isEmpty()) {
        finish(batch, work.handle(batch), true);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Carries out the actions of a batch the core handled, the events they feed back, then what follows the batch.
   * Off the protocol thread it stops before actions it may not carry out and leaves them to the protocol thread.
   */
  private void finish(List<Event> batch, List<Action> actions, boolean onProtocolThread) throws IOException {
    List<Action> next = actions;
    while (true) {
      if (!onProtocolThread && !work.runsAnywhere(next)) {
        leftover = new Leftover(batch, next);
        queue.wake();
        return;
      }
      List<Event> owed = work.carryOut(next);
      if (owed.isEmpty()) {
        break;
      }
      next = work.handle(owed);
    }
    work.batchDone(batch);
  }
}
