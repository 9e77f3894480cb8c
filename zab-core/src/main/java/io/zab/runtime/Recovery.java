package io.zab.runtime;

import io.zab.FileSyncer;
import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.protocol.PersistentState;
import io.zab.protocol.RepairPoint;
import io.zab.storage.CorruptLogException;
import io.zab.storage.EpochCopy;
import io.zab.storage.EpochRecovery;
import io.zab.storage.EpochStore;
import io.zab.storage.LogQuarantine;
import io.zab.storage.LogReader;
import io.zab.storage.RepairMarker;
import io.zab.storage.SnapshotStore;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
import io.zab.storage.WritableCheck;
import io.zab.wire.Membership;
import io.zab.wire.SnapshotHeader;
import io.zab.wire.Txn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a server back from its data directory at start: epochs, the newest valid snapshot (restored into the
 * state machine), and the log after it. Logged txns are handed to the core, not to the state machine: the core
 * delivers them once it knows they are committed.
 *
 * <p>Layout: {@code dataDir/epochs} (two copies of the epoch file), {@code dataDir/snapshots}, {@code dataDir/log};
 * a new data directory gets them in that order. Which epochs a server may start with, and when it must refuse, is
 * {@link EpochRecovery}'s decision; every directory must be writable.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  /** What start needs: the opened stores and the core's initial state. */
  record Recovered(EpochStore epochs, SnapshotStore snapshots, TxnLog log, PersistentState state) {}

  /** Where damaged files are set aside (never deleted): {@code dataDir/quarantine}. */
  static final String QUARANTINE = "quarantine";

  /** Where damaged files are set aside, given the snapshot directory {@code dataDir/snapshots}. */
  static Path quarantineDir(Path snapshotDir) {
    return snapshotDir.toAbsolutePath().getParent().resolve(QUARANTINE);
  }

  private Recovery() {}

  /**
   * Recovers server {@code serverId}.
   *
   * @throws IOException when the data is damaged beyond a torn tail, an epoch file is lost, damaged or older than
   *     the log, or a directory is not writable; the message names the file (and offset) and what to do
   */
  static Recovered run(long serverId, Path dataDir, StateMachine sm, TxnLogOptions logOptions) throws IOException {
    Path epochDir = dataDir.resolve("epochs");
    Path snapshotDir = dataDir.resolve("snapshots");
    Path logDir = dataDir.resolve("log");
    boolean hadSnapshots = Files.exists(snapshotDir);
    boolean hadLog = Files.exists(logDir);
    for (Path d : List.of(epochDir, snapshotDir, logDir)) {
      if (Files.isDirectory(d)) {
        requireWritable(serverId, d);
      }
    }
    List<EpochCopy> copies = EpochStore.read(epochDir);
    Optional<RepairMarker.Content> marker = RepairMarker.read(dataDir);
    if (marker.isPresent()) {
      log.warn("server {} resumes repairing its damaged log ({}): it does not vote until a leader elected by the other"
          + " servers has synced it past {} (marker {})", serverId, marker.get().cause(), marker.get().lastLogged(),
          dataDir.resolve(RepairMarker.FILE));
    }
    FileSyncer syncer = logOptions.syncer(); // every store's fsyncs go through the node's hook
    SnapshotStore snapshots = hadSnapshots ? SnapshotStore.open(snapshotDir, syncer) : null;
    Optional<Zxid> latest = snapshots == null ? Optional.empty() : snapshots.latest(); // verified end to end
    TxnLog txnLog = null;
    if (hadLog) {
      Opened opened = openOrRepair(serverId, dataDir, logDir, logOptions, copies, marker);
      txnLog = opened.log();
      marker = opened.marker();
    }
    try {
      Zxid newest = Zxid.max(latest.orElse(Zxid.ZERO), txnLog == null ? Zxid.ZERO : txnLog.lastZxid());
      // what it logged before a damage counts too: a repair must not hide epoch files older than the lost records
      newest = Zxid.max(newest, marker.map(RepairMarker.Content::lastLogged).orElse(Zxid.ZERO));
      EpochRecovery.Decision d = EpochRecovery.decide(serverId, new EpochRecovery.Found(copies, logDir.toString(),
          hadLog, snapshotDir.toString(), hadSnapshots, newest));
      if (d instanceof EpochRecovery.Refuse refuse) {
        throw new IOException(refuse.reason());
      }
      EpochRecovery.Start start = (EpochRecovery.Start) d;
      if (start.fresh()) {
        log.info("server {}: new data directory {}", serverId, dataDir);
      }
      for (String repair : start.repairs()) {
        log.warn("server {}: epoch file copy {} is rewritten from the other copy (acceptedEpoch={} currentEpoch={})",
            serverId, repair, start.acceptedEpoch(), start.currentEpoch());
      }
      EpochStore epochs = EpochStore.open(epochDir, start.acceptedEpoch(), start.currentEpoch(), syncer);
      if (snapshots == null) {
        snapshots = SnapshotStore.open(snapshotDir, syncer);
      }
      if (txnLog == null) {
        txnLog = openLog(serverId, logDir, logOptions);
      }
      Restored restored = restore(serverId, snapshots, latest, sm);
      Zxid snapshotZxid = restored.zxid();
      for (Path p : snapshots.quarantineNewerThan(snapshotZxid, dataDir.resolve(QUARANTINE))) {
        log.error("server {}: snapshot damaged (it fails its checksum): set aside as {}; restored {} instead", serverId,
            p, snapshotZxid);
      }
      if (txnLog.baseZxid().isAfter(snapshotZxid)) {
        marker = Optional.of(repairSnapshotGap(serverId, dataDir, logDir, txnLog, snapshotZxid, epochs, marker,
            syncer));
        txnLog = openLog(serverId, logDir, logOptions);
      }
      List<Txn> tail = readTail(serverId, txnLog, snapshotZxid);
      compact(txnLog, snapshots, snapshotZxid);
      PersistentState state = new PersistentState(epochs.acceptedEpoch(), epochs.currentEpoch(), snapshotZxid, tail,
          restored.membership(), marker.map(m -> new RepairPoint(m.lastLogged(), m.epoch())).orElse(null));
      log.info("server {} recovered: acceptedEpoch={} currentEpoch={} snapshot={} log={}..{} ({} txns after the"
          + " snapshot)", serverId, state.acceptedEpoch(), state.currentEpoch(), snapshotZxid, txnLog.baseZxid(),
          txnLog.lastZxid(), tail.size());
      return new Recovered(epochs, snapshots, txnLog, state);
    } catch (IOException | RuntimeException e) {
      if (txnLog != null) {
        txnLog.close();
      }
      throw e;
    }
  }

  private static void requireWritable(long serverId, Path dir) throws IOException {
    try {
      WritableCheck.require(dir);
    } catch (IOException e) {
      throw new IOException("server " + serverId + " cannot start: " + e.getMessage(), e.getCause());
    }
  }

  /** The log opened, and the repair marker in force (written here if damage was just found). */
  private record Opened(TxnLog log, Optional<RepairMarker.Content> marker) {}

  /**
   * Opens the log; a record damaged in the middle (a failed checksum with valid data after it) is repaired instead of
   * refused (docs/protocol.md, repair): the marker first (durable, with what the log provably held), then the damaged
   * segment and the later ones set aside into {@code dataDir/quarantine}, keeping everything before the damage. Any
   * other damage (zxid gaps, bad headers, a newer format) is refused as before.
   */
  private static Opened openOrRepair(long serverId, Path dataDir, Path logDir, TxnLogOptions logOptions,
      List<EpochCopy> copies, Optional<RepairMarker.Content> marker) throws IOException {
    while (true) {
      try {
        return new Opened(TxnLog.open(logDir, logOptions), marker);
      } catch (CorruptLogException e) {
        if (e.lastGood() == null) {
          throw refusal(serverId, e);
        }
        LogQuarantine.Plan plan = LogQuarantine.inspect(logDir, e);
        long epoch = plan.lastProvable().epoch();
        for (EpochCopy c : copies) {
          epoch = Math.max(epoch, c.acceptedEpoch());
        }
        String cause = e.getMessage() + "; kept the log up to " + plan.lastGood() + ", set aside the rest into "
            + dataDir.resolve(QUARANTINE);
        RepairMarker.Content found = new RepairMarker.Content(plan.lastProvable(), epoch, cause).merge(marker);
        // durable before any file moves: a crash midway still repairs
        RepairMarker.write(dataDir, found, logOptions.syncer());
        marker = Optional.of(found);
        log.error("server {}: transaction log damaged: {}. REPAIRING from the ensemble: it keeps the log up to {},"
            + " moves the damaged segment {} and {} later segment(s) into {} (nothing deleted), and does not vote until"
            + " a leader elected by the other servers has synced it past {} (it had logged at least that much). Marker:"
            + " {}", serverId, e.getMessage(), plan.lastGood(), e.file().getFileName(), plan.laterSegments().size(),
            dataDir.resolve(QUARANTINE), plan.lastProvable(), dataDir.resolve(RepairMarker.FILE));
        LogQuarantine.apply(plan, dataDir.resolve(QUARANTINE), logOptions.syncer());
      }
    }
  }

  /**
   * The log starts after the snapshot restored (a newer snapshot was damaged and the log before it was compacted): the
   * txns in between are gone here. Repaired like a damaged log: the marker first, then the whole log set aside (its
   * txns cannot be applied without the missing ones); the leader sends what is missing, a snapshot if need be.
   */
  private static RepairMarker.Content repairSnapshotGap(long serverId, Path dataDir, Path logDir, TxnLog txnLog,
      Zxid snapshotZxid, EpochStore epochs, Optional<RepairMarker.Content> marker, FileSyncer syncer)
      throws IOException {
    Zxid lastLogged = txnLog.lastZxid();
    String cause = "the log starts after " + txnLog.baseZxid() + " but the newest valid snapshot is at " + snapshotZxid
        + " (a newer one was damaged); set aside the whole log into " + dataDir.resolve(QUARANTINE);
    RepairMarker.Content found = new RepairMarker.Content(lastLogged, epochs.acceptedEpoch(), cause).merge(marker);
    RepairMarker.write(dataDir, found, syncer);
    log.error("server {}: {}. REPAIRING from the ensemble: it restarts from the snapshot at {} and does not vote until a"
        + " leader elected by the other servers has synced it past {}. Marker: {}", serverId, cause, snapshotZxid,
        found.lastLogged(), dataDir.resolve(RepairMarker.FILE));
    txnLog.close();
    LogQuarantine.setAsideAll(logDir, dataDir.resolve(QUARANTINE), syncer);
    return found;
  }

  private static TxnLog openLog(long serverId, Path logDir, TxnLogOptions logOptions) throws IOException {
    try {
      return TxnLog.open(logDir, logOptions);
    } catch (CorruptLogException e) {
      throw refusal(serverId, e);
    }
  }

  private static CorruptLogException refusal(long serverId, CorruptLogException e) {
    return new CorruptLogException(e.file(), e.offset(), "server " + serverId + " refuses to start: its transaction"
        + " log is damaged (" + e.getMessage() + "). Nothing was changed on disk. Move this server's data"
        + " directory aside and restart it empty to resync from the leader, or restore it from a backup");
  }

  /** The snapshot a server restarted from and the membership it recorded (null: unknown). */
  private record Restored(Zxid zxid, Membership membership) {}

  private static Restored restore(long serverId, SnapshotStore snapshots, Optional<Zxid> latest, StateMachine sm)
      throws IOException {
    if (latest.isEmpty()) {
      return new Restored(Zxid.ZERO, null);
    }
    Membership membership;
    try (InputStream in = snapshots.open(latest.get())) {
      membership = SnapshotHeader.read(in);
      sm.restore(in);
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    log.info("server {}: state machine restored from snapshot {}{}", serverId, latest.get(),
        membership == null ? "" : " (" + membership + ")");
    return new Restored(latest.get(), membership);
  }

  private static List<Txn> readTail(long serverId, TxnLog txnLog, Zxid snapshotZxid) throws IOException {
    if (txnLog.lastZxid().isBefore(snapshotZxid)) {
      // The snapshot is newer than anything logged (a crash after installing a leader's snapshot, before the
      // log was reset): the log's content is all covered by the snapshot.
      txnLog.resetTo(snapshotZxid);
      return List.of();
    }
    if (txnLog.baseZxid().isAfter(snapshotZxid)) {
      throw new IOException("server " + serverId + " refuses to start: the log starts after " + txnLog.baseZxid()
          + " but the newest valid snapshot is at " + snapshotZxid + ", so the txns in between are lost locally."
          + " Move the data directory aside and restart the server empty to resync from the leader");
    }
    List<Txn> tail = new ArrayList<>();
    try (LogReader r = txnLog.readAfter(snapshotZxid)) {
      while (r.hasNext()) {
        tail.add(r.next());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    txnLog.sync(); // the core treats everything logged as durable
    return tail;
  }

  /**
   * Drops log segments covered by the older retained snapshot, counting only snapshots up to the one restored:
   * newer files failed verification, and the log after the restored snapshot is what recovers their txns.
   */
  private static void compact(TxnLog txnLog, SnapshotStore snapshots, Zxid restored) throws IOException {
    Optional<Zxid> point = LocalSnapshots.compactionPoint(
        snapshots.list().stream().filter(z -> !z.isAfter(restored)).toList());
    if (point.isPresent()) {
      txnLog.deleteSegmentsBefore(point.get());
    }
  }
}
