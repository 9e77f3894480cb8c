package io.zab.testkit.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Collects {@link TimelineEvent}s as they happen; thread-safe, so the threads of real nodes may record into
 * it. Keeps at most {@code capacity} events: past it, later commits are counted but not kept (every role
 * change, crash and network change still is), so a long write-heavy test cannot exhaust memory.
 *
 * <pre>{@code
 * long t0 = System.nanoTime();
 * TimelineRecorder recorder = new TimelineRecorder(() -> (System.nanoTime() - t0) / 1000);
 * recorder.record(new TimelineEvent.Note(recorder.now(), "load test begins"));
 * recorder.timeline("my test", List.of(1L, 2L, 3L)).writeHtml(Path.of("target/my-test.html"));
 * }</pre>
 */
public final class TimelineRecorder {
  /** Default bound of kept events. */
  public static final int DEFAULT_CAPACITY = 200_000;

  private final LongSupplier clockMicros;
  private final int capacity;
  private final List<TimelineEvent> events = new ArrayList<>();
  private final List<Runnable> onRecord = new ArrayList<>();
  private long droppedCommits;

  /**
   * A recorder that keeps up to {@link #DEFAULT_CAPACITY} events.
   *
   * @param clockMicros the time of an event, in microseconds since the cluster was created
   */
  public TimelineRecorder(LongSupplier clockMicros) {
    this(clockMicros, DEFAULT_CAPACITY);
  }

  /**
   * A recorder with its own bound.
   *
   * @param clockMicros the time of an event, in microseconds since the cluster was created
   * @param capacity how many events it keeps before it drops commits, positive
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public TimelineRecorder(LongSupplier clockMicros, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.clockMicros = clockMicros;
    this.capacity = capacity;
  }

  /**
   * The current time of this recorder's clock: the time to give an event recorded now.
   *
   * @return microseconds since the cluster was created
   */
  public long now() {
    return clockMicros.getAsLong();
  }

  /**
   * Records {@code event}; then runs every {@link #onRecord} callback (outside the recorder's lock).
   *
   * @param event what happened, timed by {@link #now()}
   */
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

  /**
   * Runs {@code callback} after every recorded event (used to wake up threads waiting for a condition).
   *
   * @param callback runs on the recording thread; keep it short
   */
  public synchronized void onRecord(Runnable callback) {
    onRecord.add(callback);
  }

  /**
   * The events so far.
   *
   * @return a copy, in the order they were recorded
   */
  public synchronized List<TimelineEvent> events() {
    return List.copyOf(events);
  }

  /**
   * Everything recorded so far, ending now.
   *
   * @param title the timeline's heading (a note of how many commits were not kept is added)
   * @param servers the ids of the cluster's servers
   * @return the timeline
   */
  public synchronized Timeline timeline(String title, List<Long> servers) {
    String t = droppedCommits == 0 ? title : title + " (" + droppedCommits + " later commits not kept)";
    return new Timeline(t, servers, events, now());
  }
}
