package io.zab.runtime;

import io.zab.Zxid;
import io.zab.storage.CorruptSnapshotException;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a snapshot that could not be read while it was being sent to a follower. Without this, every sync of a
 * follower behind the leader's log would pick the same snapshot and fail again until enough new writes made the
 * next one, which an idle service never does: the follower would stay out for good. A damaged file is set aside
 * into the quarantine directory (never deleted), then the apply thread captures a fresh snapshot at once; the core
 * names it in the next sync once the snapshot thread reports it. Protocol thread (the file work runs on the apply
 * thread).
 */
final class UnreadableSnapshots {
  private static final Logger log = LoggerFactory.getLogger(UnreadableSnapshots.class);

  private final long serverId;
  private final LocalSnapshots snapshots;
  private final Path quarantineDir;
  private final ApplyLoop applyLoop;

  UnreadableSnapshots(long serverId, LocalSnapshots snapshots, Path quarantineDir, ApplyLoop applyLoop) {
    this.serverId = serverId;
    this.snapshots = snapshots;
    this.quarantineDir = quarantineDir;
    this.applyLoop = applyLoop;
  }

  /** The snapshot at {@code zxid} failed with {@code problem}: set it aside if damaged, and take a new one. */
  void replace(Zxid zxid, IOException problem) {
    applyLoop.snapshotNow(() -> {
      if (!(problem instanceof CorruptSnapshotException)) {
        log.warn("server {}: snapshot {} could not be read ({}); taking a new snapshot", serverId, zxid,
            problem.toString());
        return;
      }
      try {
        if (snapshots.store().list().contains(zxid)) {
          Path aside = snapshots.store().setAside(zxid, quarantineDir);
          log.warn("server {}: set the damaged snapshot {} aside as {}; taking a new snapshot to replace it", serverId,
              zxid, aside);
        }
      } catch (IOException e) {
        log.error("server {}: could not set the damaged snapshot {} aside into {}; a new snapshot will be taken once"
            + " the state has moved past it", serverId, zxid, quarantineDir, e);
      }
    });
  }
}
