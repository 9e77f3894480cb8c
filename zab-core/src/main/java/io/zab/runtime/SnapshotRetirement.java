package io.zab.runtime;

import io.zab.Zxid;
import io.zab.storage.LogWriter;
import io.zab.storage.PendingDirectorySync;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires old snapshots and the log segments below them, on the snapshot thread (one retirement at a time), when
 * {@link SnapshotRetention} asks. In this order: the snapshots older than the compaction point are deleted and the
 * snapshot directory fsynced; then the log writer drops the segments wholly below the point (a cheap unlink between
 * its appends), and the log directory is fsynced here, not on the writer, so that no append waits for it. The
 * compaction point is a snapshot the core was told of, which was durable (file and directory entry) before the core
 * heard of it, so the log below it goes only after it is durable; and a compaction's directory fsync has run before
 * the next one drops anything, so a crash brings back at most a contiguous prefix of dropped segments.
 *
 * <p>Failing to delete is not fatal (disk use only): it is retried after the next batch and logged at most once a
 * minute. A snapshot directory that is gone is fatal (the data directory was deleted). A failed fsync of the log
 * directory fails the log, as when the writer fsyncs it itself.
 */
final class SnapshotRetirement {
  private static final Logger log = LoggerFactory.getLogger(SnapshotRetirement.class);

  private final long serverId;
  private final LocalSnapshots snapshots;
  private final LogWriter logWriter;
  private final BiConsumer<String, Throwable> fatal;
  private final LogThrottle failureLog = new LogThrottle(SnapshotTaker.LOG_INTERVAL_NANOS, System::nanoTime);
  private volatile boolean failedLast;
  private volatile long listings;
  private boolean gone;
  private Zxid compactedTo = Zxid.ZERO;

  SnapshotRetirement(long serverId, LocalSnapshots snapshots, LogWriter logWriter,
      BiConsumer<String, Throwable> fatal) {
    this.serverId = serverId;
    this.snapshots = snapshots;
    this.logWriter = logWriter;
    this.fatal = fatal;
  }

  /** Whether the last retirement failed (it is then asked for again). Any thread. */
  boolean failedLast() {
    return failedLast;
  }

  /** How many times the snapshot directory was listed. Any thread. */
  long listings() {
    return listings;
  }

  /** Retires what the core, which knows the snapshots up to {@code known}, can no longer name. */
  void retireUpTo(Zxid known) {
    failedLast = false;
    try {
      listings++;
      List<Zxid> nameable = snapshots.sorted().stream().filter(z -> !z.isAfter(known)).toList();
      Optional<Zxid> oldestKept = LocalSnapshots.compactionPoint(nameable);
      if (oldestKept.isEmpty() || !oldestKept.get().isAfter(compactedTo)) {
        return;
      }
      Zxid point = oldestKept.get();
      snapshots.store().deleteOlderThan(point);
      compactedTo = point;
      compactLogBelow(point);
    } catch (IOException e) {
      failedLast = true;
      if (gone) {
        return;
      }
      if (snapshots.directoryGone()) {
        gone = true;
        fatal.accept(LocalSnapshots.goneMessage(snapshots.store().directory()), e);
        return;
      }
      long skipped = failureLog.tryLog();
      if (skipped >= 0) {
        log.warn("server {}: cannot retire snapshots older than the core's {} ({} similar failures not logged): {}",
            serverId, known, skipped, e.toString());
      }
    }
  }

  private void compactLogBelow(Zxid point) {
    PendingDirectorySync sync;
    try {
      sync = logWriter.submit(txnLog -> txnLog.dropSegmentsBefore(point)).get();
    } catch (ExecutionException e) {
      return; // the writer failed or is closed: it reports that itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      sync.run();
    } catch (IOException e) {
      // the log is failed now; a command makes the writer see it and stop the node at once, not at the next append
      logWriter.submit(txnLog -> txnLog.sync());
    }
  }
}
