package io.zab.nemesis.workload;

/** Microseconds since the run started, from the monotonic clock: the one time line of the history. */
public final class RunClock {
  private final long startNanos = System.nanoTime();

  public long micros() {
    return (System.nanoTime() - startNanos) / 1_000;
  }

  public long millis() {
    return micros() / 1_000;
  }

  /** A return time after {@code call}: the history needs returns strictly after calls. */
  public long returnAfter(long call) {
    return Math.max(micros(), call + 1);
  }
}
