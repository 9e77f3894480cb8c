package io.zab.bench.cluster;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/**
 * A disk whose fsyncs can be made {@code factor} times slower at run time (the pressure benchmark's slow
 * disk): each data fsync is done for real, timed, and followed by a sleep of {@code factor - 1} times what it
 * took. Factor 1 (the start) is the plain disk.
 */
final class SlowSyncer implements FileSyncer {
  private final StallLog slowFsyncs; // null: not logged
  private volatile int factor = 1;
  private long fsyncs;
  private long nanos;

  /** @param slowFsyncs where slow fsyncs are logged (one log per process, shared by its servers), or null */
  SlowSyncer(StallLog slowFsyncs) {
    this.slowFsyncs = slowFsyncs;
  }

  void factor(int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be >= 1, got " + factor);
    }
    this.factor = factor;
  }

  @Override
  public void syncData(FileChannel channel) throws IOException {
    int f = factor;
    long started = System.nanoTime();
    channel.force(false);
    if (f > 1) {
      long took = System.nanoTime() - started;
      try {
        TimeUnit.NANOSECONDS.sleep(took * (f - 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted during a slowed fsync", e);
      }
    }
    record(System.nanoTime() - started);
    if (slowFsyncs != null) {
      slowFsyncs.ended(started);
    }
  }

  private synchronized void record(long took) {
    fsyncs++;
    nanos += took;
  }

  /** The mean duration of a log fsync (slowdown included) in microseconds since the last call; -1 if none. */
  synchronized long takeMeanMicros() {
    long mean = fsyncs == 0 ? -1 : nanos / fsyncs / 1000;
    fsyncs = 0;
    nanos = 0;
    return mean;
  }
}
