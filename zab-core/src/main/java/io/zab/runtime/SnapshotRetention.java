package io.zab.runtime;

import io.zab.Zxid;
import io.zab.storage.LogWriter;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Decides, on the protocol thread, when old snapshots and the log segments they cover may be retired: once the core
 * can no longer name them. The core names the newest snapshot it has been told of (SnapshotTaken, or one installed
 * from the leader) in SendSnapshot; the apply thread may meanwhile have written newer ones the core does not know
 * yet. So only snapshots older than the {@link LocalSnapshots#RETAINED} newest of those the core knows are deleted,
 * and only after the batch that told the core has been carried out. The work itself (listing, deleting, the
 * directory fsyncs) is a {@link SnapshotRetirement} on the snapshot thread: the protocol thread never waits for the
 * disk here, so a batch that retires may also run on the log writer.
 */
final class SnapshotRetention {
  private final SnapshotRetirement work;
  private final Executor snapshotThread;
  /** The newest snapshot the core knew when retirement was last asked for and not yet started; null: none asked. */
  private final AtomicReference<Zxid> asked = new AtomicReference<>();
  private Zxid known;
  /**
   * Whether {@link #retire()} has something to ask for: what may be deleted changes only when the core learns of a
   * newer snapshot (or after a failed attempt), so the snapshot directory is not listed after every batch.
   */
  private boolean due = true;

  /**
   * @param known the snapshot the core starts with
   * @param snapshotThread runs the retirements, one at a time, in order (the snapshot thread)
   * @param fatal stops the node (when the snapshot directory is gone)
   */
  SnapshotRetention(long serverId, LocalSnapshots snapshots, LogWriter logWriter, Zxid known, Executor snapshotThread,
      BiConsumer<String, Throwable> fatal) {
    this.work = new SnapshotRetirement(serverId, snapshots, logWriter, fatal);
    this.snapshotThread = snapshotThread;
    this.known = known;
  }

  /** The core has handled (in the batch being carried out) a snapshot at {@code z}. */
  void coreKnows(Zxid z) {
    if (z.isAfter(known)) {
      known = z;
      due = true;
    }
  }

  /** How many times the snapshot directory was listed (tests). */
  long listings() {
    return work.listings();
  }

  /**
   * After a batch: asks the snapshot thread to delete the snapshots the core can no longer name and to compact the
   * log below the oldest one kept; does nothing unless the core learned of a newer snapshot since it last asked or
   * the last attempt failed (it is then asked again). Asks that pile up while one runs coalesce into the newest.
   */
  void retire() {
    if (!due && !work.failedLast()) {
      return;
    }
    due = false;
    if (asked.getAndSet(known) != null) {
      return; // an asked retirement has not started yet: it takes this newer knowledge
    }
    try {
      snapshotThread.execute(() -> work.retireUpTo(asked.getAndSet(null)));
    } catch (RejectedExecutionException e) {
      // the node is stopping: what is left is retired after its next start
    }
  }
}
