package io.zab.runtime;

import io.zab.protocol.Event;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol thread's inbox. External events (client requests, received messages) count against a bound;
 * internal ones (ticks, durability reports, snapshot reports) never wait and never count, so the log and apply
 * threads can always report back and cannot deadlock with a protocol thread that is itself waiting on them.
 * Arrival order is preserved across both kinds.
 */
final class EventQueue {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Event> entries = new ArrayDeque<>();
  private int external;
  private boolean closed;

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

  /** Adds a network event, waiting while full (backpressure on the transport); dropped once closed. */
  void put(Event e) throws InterruptedException {
    lock.lock();
    try {
      while (!closed && external >= capacity) {
        notFull.await();
      }
      if (!closed) {
        add(e, true);
      }
    } finally {
      lock.unlock();
    }
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
   * Moves every queued event into {@code into}, waiting up to {@code timeoutMillis} for the first.
   *
   * @return false once closed
   */
  boolean drainTo(List<Event> into, long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (!closed && entries.isEmpty() && nanos > 0) {
        nanos = notEmpty.awaitNanos(nanos);
      }
      if (closed) {
        return false;
      }
      into.addAll(entries);
      entries.clear();
      external = 0;
      notFull.signalAll();
      return true;
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
      notFull.signalAll();
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
