package io.zab.transport.netty;

import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records every transport callback in order and lets a test await one, with a timeout. It can also claim to
 * have no room ({@link #full}), as a node's inbox past its bound does.
 */
final class RecordingInbound implements Transport.Inbound {
  sealed interface Event {}

  record Connected(long peer) implements Event {}

  record Disconnected(long peer) implements Event {}

  record Received(long from, Message message) implements Event {}

  /** The transport stopped reading because this claimed to be {@link #full}. */
  record Paused() implements Event {}

  private final List<Event> events = new ArrayList<>();
  private final List<Runnable> waitingForRoom = new ArrayList<>();
  private boolean full;
  private int pauses;

  /** Whether to claim no room; when it ends, the transport's waiting readers resume. */
  void full(boolean noRoom) {
    List<Runnable> resume;
    synchronized (this) {
      full = noRoom;
      if (noRoom) {
        return;
      }
      resume = List.copyOf(waitingForRoom);
      waitingForRoom.clear();
    }
    resume.forEach(Runnable::run);
  }

  /** How often the transport paused reading because this said it was full. */
  synchronized int pauses() {
    return pauses;
  }

  @Override
  public synchronized boolean hasRoom() {
    return !full;
  }

  @Override
  public void whenRoom(Runnable resume) {
    synchronized (this) {
      pauses++;
      if (full) {
        waitingForRoom.add(resume);
        add(new Paused());
        return;
      }
    }
    resume.run();
  }

  @Override
  public synchronized void received(long from, Message message) {
    add(new Received(from, message));
  }

  @Override
  public synchronized void connected(long peer) {
    add(new Connected(peer));
  }

  @Override
  public synchronized void disconnected(long peer) {
    add(new Disconnected(peer));
  }

  private void add(Event e) {
    events.add(e);
    notifyAll();
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized int size() {
    return events.size();
  }

  /** Waits for an event at index {@code from} or later that matches; returns its index. */
  synchronized int await(int from, Predicate<Event> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int i = from;
    while (true) {
      for (; i < events.size(); i++) {
        if (match.test(events.get(i))) {
          return i;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching event within " + timeout + "; events: " + tail());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until the latest connection event for {@code peer} says connected. */
  synchronized void awaitConnected(long peer, Duration timeout) throws InterruptedException {
    awaitState(peer, true, timeout);
  }

  /** Waits until the latest connection event for {@code peer} says disconnected. */
  synchronized void awaitDisconnected(long peer, Duration timeout) throws InterruptedException {
    awaitState(peer, false, timeout);
  }

  private void awaitState(long peer, boolean up, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isConnected(peer) != up) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("peer " + peer + " not " + (up ? "connected" : "disconnected") + " within "
            + timeout + "; events: " + tail());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  synchronized boolean isConnected(long peer) {
    for (int i = events.size() - 1; i >= 0; i--) {
      Event e = events.get(i);
      if (e instanceof Connected c && c.peer() == peer) {
        return true;
      }
      if (e instanceof Disconnected d && d.peer() == peer) {
        return false;
      }
    }
    return false;
  }

  private String tail() {
    List<Event> connectionEvents = events.stream().filter(e -> !(e instanceof Received)).toList();
    return connectionEvents.subList(Math.max(0, connectionEvents.size() - 20), connectionEvents.size())
        + " (+" + (events.size() - connectionEvents.size()) + " received)";
  }
}
