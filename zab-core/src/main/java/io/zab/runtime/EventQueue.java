package io.zab.runtime;

import io.zab.protocol.Event;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol's inbox ({@link ProtocolLoop}). External events (client requests, received messages) count against a bound;
 * internal ones (ticks, durability reports, snapshot reports) never count. Nothing that adds ever waits: a
 * client request over the bound is refused, a received message is taken and the transport is asked to stop
 * reading ({@link IntakeGate}), so neither a transport thread nor the log or apply thread can be held here.
 * Arrival order is preserved across both kinds.
 */
final class EventQueue {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Event> entries = new ArrayDeque<>();
  private volatile int external;
  private boolean closed;
  private boolean woken;

  EventQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a client event if there is room; false if full or closed. */
  boolean offer(Event e) {
    lock.lock();
    try {
      if (closed || external >= capacity) {
        return false;
      }
      add(e, true);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a network event without waiting, also past the bound (a message dropped here would break the FIFO
   * channel); the transport stops reading while {@link #full()}. Dropped once closed.
   */
  void addReceived(Event e) {
    lock.lock();
    try {
      if (!closed) {
        add(e, true);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the external events waiting reach the bound. Any thread. */
  boolean full() {
    return external >= capacity;
  }


  /** Adds an internal event; never waits. Dropped once closed. */
  void post(Event e) {
    lock.lock();
    try {
      if (!closed) {
        add(e, false);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code timeoutMillis} until an event is queued or {@link #wake()} was called since the last return.
   *
   * @return false once closed
   */
  boolean awaitEvents(long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (!closed && !woken && entries.isEmpty() && nanos > 0) {
        nanos = notEmpty.awaitNanos(nanos);
      }
      woken = false;
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves every queued event into {@code into}, without waiting.
   *
   * @return false once closed
   */
  boolean drainTo(List<Event> into) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      into.addAll(entries);
      entries.clear();
      external = 0;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the queue is open and holds nothing: an event produced now comes after every one taken so far. */
  boolean idle() {
    lock.lock();
    try {
      return !closed && entries.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes {@link #awaitEvents} return now, or at its next call if nobody waits: there is work besides the queued
   * events. Never lost, whenever the waiter parks.
   */
  void wake() {
    lock.lock();
    try {
      woken = true;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting and wakes every waiter. */
  void close() {
    lock.lock();
    try {
      closed = true;
      entries.clear();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void add(Event e, boolean counted) {
    entries.add(e);
    if (counted) {
      external++;
    }
    notEmpty.signal();
  }
}
