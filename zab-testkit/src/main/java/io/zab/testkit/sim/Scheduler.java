package io.zab.testkit.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Simulated time: a queue of tasks ordered by time, then by the order they were scheduled (so equal times
 * run FIFO and a run is reproducible). Time is in microseconds.
 */
public final class Scheduler {
  private record Task(long time, long seq, Runnable body) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.time != b.time
      ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;
  private long executed;

  /** An empty scheduler at time zero. */
  public Scheduler() {}

  /**
   * The current simulated time.
   *
   * @return microseconds since time zero
   */
  public long now() {
    return now;
  }

  /**
   * Tasks run so far.
   *
   * @return the number of tasks run
   */
  public long executed() {
    return executed;
  }

  /**
   * Runs {@code body} at {@code time} (never earlier than now).
   *
   * @param time when to run it, in microseconds
   * @param body the task
   */
  public void at(long time, Runnable body) {
    queue.add(new Task(Math.max(time, now), seq++, body));
  }

  /**
   * Runs {@code body} {@code delay} microseconds from now.
   *
   * @param delay how long from now, in microseconds (a negative delay counts as 0)
   * @param body the task
   */
  public void after(long delay, Runnable body) {
    at(now + Math.max(0, delay), body);
  }

  /**
   * Runs {@code body} again and again, each time after a random gap, for as long as {@code going} holds when it is
   * due (the fault injector and the membership changes share this loop; the gap after a run is drawn after it).
   *
   * @param random where the gaps come from
   * @param minGap the shortest gap, in microseconds
   * @param maxGap the longest gap, in microseconds (inclusive)
   * @param going checked when each run is due; once false, the loop ends
   * @param body the task
   */
  public void repeatAtRandomGaps(SplittableRandom random, long minGap, long maxGap, BooleanSupplier going,
      Runnable body) {
    after(random.nextLong(minGap, maxGap + 1), () -> {
      if (going.getAsBoolean()) {
        body.run();
        repeatAtRandomGaps(random, minGap, maxGap, going, body);
      }
    });
  }

  /**
   * The time of the next task.
   *
   * @return its time in microseconds, or {@link Long#MAX_VALUE} when none is queued
   */
  public long nextTime() {
    Task t = queue.peek();
    return t == null ? Long.MAX_VALUE : t.time;
  }

  /**
   * Runs the next task if it is due at or before {@code limit}, moving the clock to its time.
   *
   * @param limit the latest time, in microseconds, a task may be due to run now
   * @return whether one ran
   */
  public boolean runNext(long limit) {
    Task t = queue.peek();
    if (t == null || t.time > limit) {
      return false;
    }
    queue.poll();
    now = t.time;
    executed++;
    t.body.run();
    return true;
  }

  /**
   * Moves the clock to {@code time} when nothing is left to run before it.
   *
   * @param time the time to move to, in microseconds (an earlier time than now is ignored)
   */
  public void advanceTo(long time) {
    if (time > now && nextTime() >= time) {
      now = time;
    }
  }
}
