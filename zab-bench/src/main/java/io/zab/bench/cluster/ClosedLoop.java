package io.zab.bench.cluster;

import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load driver: keeps exactly {@code inFlight} writes outstanding; each acknowledgement lets
 * the next write go. Runs a warm-up (not recorded), then a measurement window in which every acknowledged
 * write's latency (submit → ack) goes into an HdrHistogram. The same driver measures ZooKeeper and zab,
 * so both see identical methodology.
 */
public final class ClosedLoop {

  /** Completion callback of one asynchronous write; may be called from any thread, exactly once. */
  @FunctionalInterface
  public interface Completion {
    void complete(boolean ok);
  }

  /** Issues one asynchronous write of {@code payload} and calls {@code done} when it is acknowledged. */
  @FunctionalInterface
  public interface AsyncWriter {
    void write(byte[] payload, Completion done);
  }

  /** Told when the measurement window opens and closes (e.g. to sample CPU time over exactly that window). */
  public interface Window {
    Window NONE = new Window() {};

    default void opened() {}

    default void closed() {}

    /** The window's latencies (µs), handed over once it has closed, before {@link #closed()}. */
    default void measured(Histogram latencies) {}
  }

  private static final long DRAIN_TIMEOUT_SECONDS = 30;

  private ClosedLoop() {}

  /** A write's completion: its latency since {@code startNanos} into {@code recorder} (or an error), then a permit. */
  static Completion recording(long startNanos, Recorder recorder, AtomicLong errors, Semaphore permits) {
    return ok -> {
      if (ok) {
        recorder.recordValue(Math.max(1, (System.nanoTime() - startNanos) / 1000));
      } else {
        errors.incrementAndGet();
      }
      permits.release();
    };
  }

  public static LoadResult run(
      String system, String mode, AsyncWriter writer, LoadStep step, long warmupMs, long measureMs)
      throws InterruptedException {
    return run(system, mode, writer, step, warmupMs, measureMs, Window.NONE);
  }

  public static LoadResult run(String system, String mode, AsyncWriter writer, LoadStep step, long warmupMs,
      long measureMs, Window window) throws InterruptedException {
    byte[] payload = new byte[step.payloadBytes()];
    new Random(42).nextBytes(payload);
    Semaphore permits = new Semaphore(step.inFlight());
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();

    long start = System.nanoTime();
    long measureStart = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long measureEnd = measureStart + TimeUnit.MILLISECONDS.toNanos(measureMs);
    long windowOpened = -1;
    long errorsAtOpen = 0;
    while (true) {
      long now = System.nanoTime();
      if (windowOpened < 0 && now >= measureStart) {
        recorder.getIntervalHistogram(); // discard the warm-up
        errorsAtOpen = errors.get();
        window.opened();
        windowOpened = System.nanoTime();
      }
      if (now >= measureEnd) {
        break;
      }
      if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        continue;
      }
      Completion done = recording(System.nanoTime(), recorder, errors, permits);
      try {
        writer.write(payload, done);
      } catch (RuntimeException e) {
        done.complete(false);
      }
    }
    Histogram measured = recorder.getIntervalHistogram();
    long windowClosed = System.nanoTime();
    window.measured(measured);
    window.closed();
    long windowErrors = errors.get() - errorsAtOpen;
    // Let the outstanding writes finish so the next step starts from an idle system.
    if (!permits.tryAcquire(step.inFlight(), DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      System.err.println(
          "warning: " + system + " " + step + ": writes still outstanding "
              + DRAIN_TIMEOUT_SECONDS + " s after the window closed");
    }
    double seconds = (windowClosed - windowOpened) / 1e9;
    return new LoadResult(
        system,
        mode,
        step.inFlight(),
        step.payloadBytes(),
        measured.getTotalCount(),
        seconds,
        windowErrors,
        measured.getValueAtPercentile(50),
        measured.getValueAtPercentile(99),
        measured.getValueAtPercentile(99.9),
        measured.getMaxValue());
  }
}
