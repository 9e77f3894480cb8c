package io.zab.runtime;

import io.zab.metrics.NodeMetrics;
import io.zab.storage.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** A {@link FileSyncer} that times each data fsync of the log (one per group commit) into a timer. */
final class TimedSyncer implements FileSyncer {
  private final FileSyncer delegate;
  private final NodeMetrics.Timer timer;
  private final LongSupplier clock;

  /** @param clock nanoseconds, e.g. {@code System::nanoTime} */
  TimedSyncer(FileSyncer delegate, NodeMetrics.Timer timer, LongSupplier clock) {
    this.delegate = delegate;
    this.timer = timer;
    this.clock = clock;
  }

  @Override
  public void syncData(FileChannel channel) throws IOException {
    long start = clock.getAsLong();
    delegate.syncData(channel);
    timer.recordNanos(clock.getAsLong() - start);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    delegate.syncDirectory(dir);
  }
}
