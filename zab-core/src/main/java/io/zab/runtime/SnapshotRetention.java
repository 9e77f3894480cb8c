package io.zab.runtime;

import io.zab.Zxid;
import io.zab.storage.LogWriter;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires old snapshots and the log segments they cover, on the protocol thread, once the core can no longer
 * name them. The core names the newest snapshot it has been told of (SnapshotTaken, or one installed from the
 * leader) in SendSnapshot; the apply thread may meanwhile have written newer ones the core does not know yet.
 * So only snapshots older than the {@link LocalSnapshots#RETAINED} newest of those the core knows are deleted,
 * and only after the batch that told the core has been carried out.
 */
final class SnapshotRetention {
  private static final Logger log = LoggerFactory.getLogger(SnapshotRetention.class);

  private final long serverId;
  private final LocalSnapshots snapshots;
  private final LogWriter logWriter;
  private final BiConsumer<String, Throwable> fatal;
  private final LogThrottle failureLog = new LogThrottle(SnapshotTaker.LOG_INTERVAL_NANOS, System::nanoTime);
  private boolean gone;
  private Zxid known;
  private Zxid compactedTo = Zxid.ZERO;
  /**
   * Whether {@link #retire()} has something to look at: what it may delete changes only when the core learns of a
   * newer snapshot (or after a failed attempt), so the snapshot directory is not listed after every batch (that
   * listing cost the protocol thread a fifth of its time under load).
   */
  private boolean due = true;
  private long listings;

  /**
   * @param known the snapshot the core starts with
   * @param fatal stops the node (when the snapshot directory is gone)
   */
  SnapshotRetention(long serverId, LocalSnapshots snapshots, LogWriter logWriter, Zxid known,
      BiConsumer<String, Throwable> fatal) {
    this.serverId = serverId;
    this.snapshots = snapshots;
    this.logWriter = logWriter;
    this.known = known;
    this.fatal = fatal;
  }

  /** The core has handled (in the batch being carried out) a snapshot at {@code z}. */
  void coreKnows(Zxid z) {
    if (z.isAfter(known)) {
      known = z;
      due = true;
    }
  }

  /** Whether the next {@link #retire()} looks at the disk. */
  boolean due() {
    return due;
  }

  /** How many times the snapshot directory was listed (tests). */
  long listings() {
    return listings;
  }

  /**
   * After a batch: deletes snapshots the core can no longer name and compacts the log below the oldest one
   * kept; does nothing unless the core learned of a newer snapshot since the last look. Failing to delete is not fatal (disk use only): it is retried after the next batch and logged at most
   * once a minute. A snapshot directory that is gone is fatal (the data directory was deleted).
   */
  void retire() {
    if (!due) {
      return;
    }
    due = false;
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
      logWriter.submit(txnLog -> {
        txnLog.deleteSegmentsBefore(point);
        return point;
      });
    } catch (IOException e) {
      due = true; // retried after the next batch
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
}
