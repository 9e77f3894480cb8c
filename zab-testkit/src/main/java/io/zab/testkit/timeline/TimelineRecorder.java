package io.zab.testkit.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Collects {@link TimelineEvent}s as they happen; thread-safe, so the threads of real nodes may record into
 * it. Keeps at most {@code capacity} events: past it, later commits are counted but not kept (every role
 * change, crash and network change still is), so a long write-heavy test cannot exhaust memory.
 */
public final class TimelineRecorder {
  /** Default bound of kept events. */
  public static final int DEFAULT_CAPACITY = 200_000;

  private final LongSupplier clockMicros;
  private final int capacity;
  private final List<TimelineEvent> events = new ArrayList<>();
  private final List<Runnable> onRecord = new ArrayList<>();
  private long droppedCommits;

  /** @param clockMicros the time of an event, in microseconds since the cluster was created */
  public TimelineRecorder(LongSupplier clockMicros) {
    this(clockMicros, DEFAULT_CAPACITY);
  }

  public TimelineRecorder(LongSupplier clockMicros, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.clockMicros = clockMicros;
    this.capacity = capacity;
  }

  /** The current time of this recorder's clock, in microseconds. */
  public long now() {
    return clockMicros.getAsLong();
  }

  /** Records {@code event}; then runs every {@link #onRecord} callback (outside the recorder's lock). */
  public void record(TimelineEvent event) {
    List<Runnable> callbacks;
    synchronized (this) {
      if (events.size() >= capacity && event instanceof TimelineEvent.Committed) {
        droppedCommits++;
      } else {
        events.add(event);
      }
      callbacks = List.copyOf(onRecord);
    }
    callbacks.forEach(Runnable::run);
  }

  /** Runs {@code callback} after every recorded event (used to wake up threads waiting for a condition). */
  public synchronized void onRecord(Runnable callback) {
    onRecord.add(callback);
  }

  /** The events so far. */
  public synchronized List<TimelineEvent> events() {
    return List.copyOf(events);
  }

  /** Everything recorded so far, ending now. */
  public synchronized Timeline timeline(String title, List<Long> servers) {
    String t = droppedCommits == 0 ? title : title + " (" + droppedCommits + " later commits not kept)";
    return new Timeline(t, servers, events, now());
  }
}
