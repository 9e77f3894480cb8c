package io.zab.bench.cluster;

import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop load driver: sends writes at a fixed rate ({@link RatePacer}) whatever their latency, so two
 * clusters can be compared at the same throughput (a closed loop lets a slower cluster do fewer, larger batches).
 * A write's latency runs from when it was due, not from when it was sent, so a sender held up by a stall (or by the
 * {@link RateStep#maxInFlight()} bound) is charged to the system, not hidden. Same warm-up, window and drain as
 * {@link ClosedLoop}; ops/s over the window is the rate actually achieved.
 */
final class OpenLoop {

  private static final long DRAIN_TIMEOUT_SECONDS = 30;
  /** Sleeping shorter than this overshoots on a loaded machine; spin (yielding) instead. */
  private static final long SPIN_BELOW_NANOS = 50_000;

  private OpenLoop() {}

  static LoadResult run(String system, RateStep step, ClosedLoop.AsyncWriter writer, long warmupMs, long measureMs,
      ClosedLoop.Window window) throws InterruptedException {
    byte[] payload = new byte[step.payloadBytes()];
    new Random(42).nextBytes(payload);
    Semaphore permits = new Semaphore(step.maxInFlight());
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    RatePacer pacer = new RatePacer(start, step.perSecond());
    long measureStart = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long measureEnd = measureStart + TimeUnit.MILLISECONDS.toNanos(measureMs);
    long windowOpened = -1;
    long errorsAtOpen = 0;
    for (long i = 0; ; i++) {
      long due = pacer.dueNanos(i);
      if (due >= measureEnd) {
        break;
      }
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        if (due - now > SPIN_BELOW_NANOS) {
          LockSupport.parkNanos(due - now - SPIN_BELOW_NANOS);
        } else {
          Thread.onSpinWait();
        }
      }
      if (windowOpened < 0 && due >= measureStart) {
        recorder.getIntervalHistogram(); // discard the warm-up
        errorsAtOpen = errors.get();
        window.opened();
        windowOpened = System.nanoTime();
      }
      if (!permits.tryAcquire(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(system + " " + step + ": " + step.maxInFlight() + " writes outstanding for "
            + DRAIN_TIMEOUT_SECONDS + " s");
      }
      ClosedLoop.Completion done = ClosedLoop.recording(due, recorder, errors, permits);
      try {
        writer.write(payload, done);
      } catch (RuntimeException e) {
        done.complete(false);
      }
    }
    if (windowOpened < 0) { // a window shorter than one write's period
      window.opened();
      windowOpened = System.nanoTime();
    }
    Histogram measured = recorder.getIntervalHistogram();
    long windowClosed = System.nanoTime();
    window.measured(measured);
    window.closed();
    long windowErrors = errors.get() - errorsAtOpen;
    if (!permits.tryAcquire(step.maxInFlight(), DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      System.err.println("warning: " + system + " " + step + ": writes still outstanding " + DRAIN_TIMEOUT_SECONDS
          + " s after the window closed");
    }
    return new LoadResult(system, step.mode(), step.maxInFlight(), step.payloadBytes(), measured.getTotalCount(),
        (windowClosed - windowOpened) / 1e9, windowErrors, measured.getValueAtPercentile(50),
        measured.getValueAtPercentile(99), measured.getValueAtPercentile(99.9), measured.getMaxValue());
  }
}
