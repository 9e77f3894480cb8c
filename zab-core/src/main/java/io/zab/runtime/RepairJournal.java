package io.zab.runtime;

import io.zab.FileSyncer;
import io.zab.protocol.RepairPoint;
import io.zab.storage.RepairMarker;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a repair on disk: the core said a leader synced this server past what it lost (docs/protocol.md, repair). */
final class RepairJournal {
  private static final Logger log = LoggerFactory.getLogger(RepairJournal.class);

  private final long serverId;
  private final Path dataDir;
  private final FileSyncer syncer;

  RepairJournal(long serverId, Path dataDir, FileSyncer syncer) {
    this.serverId = serverId;
    this.dataDir = dataDir;
    this.syncer = syncer;
  }

  /** Deletes the marker durably, before the core's next action (which may be a vote). */
  void done(RepairPoint point) throws IOException {
    RepairMarker.clear(dataDir, syncer);
    log.warn("server {}: repair done ({}): marker {} cleared, it votes again; the damaged files stay in {} for"
        + " inspection (safe to delete)", serverId, point, dataDir.resolve(RepairMarker.FILE),
        dataDir.resolve(Recovery.QUARANTINE));
  }
}
