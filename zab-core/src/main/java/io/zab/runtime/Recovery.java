package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.protocol.PersistentState;
import io.zab.storage.CorruptLogException;
import io.zab.storage.EpochStore;
import io.zab.storage.LogReader;
import io.zab.storage.SnapshotStore;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
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
 * <p>Layout: {@code dataDir/epochs}, {@code dataDir/snapshots}, {@code dataDir/log}.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  /** What start needs: the opened stores and the core's initial state. */
  record Recovered(EpochStore epochs, SnapshotStore snapshots, TxnLog log, PersistentState state) {}

  private Recovery() {}

  /**
   * Recovers server {@code serverId}.
   *
   * @throws IOException when the data is damaged beyond a torn tail; the message names the file and offset
   */
  static Recovered run(long serverId, Path dataDir, StateMachine sm, TxnLogOptions logOptions) throws IOException {
    EpochStore epochs = EpochStore.open(Files.createDirectories(dataDir.resolve("epochs")));
    SnapshotStore snapshots = SnapshotStore.open(Files.createDirectories(dataDir.resolve("snapshots")));
    Zxid snapshotZxid = restoreLatest(serverId, snapshots, sm);
    TxnLog txnLog;
    try {
      txnLog = TxnLog.open(dataDir.resolve("log"), logOptions);
    } catch (CorruptLogException e) {
      throw new CorruptLogException(e.file(), e.offset(), "server " + serverId + " refuses to start: its transaction"
          + " log is damaged (" + e.getMessage() + "). Nothing was changed on disk. Move this server's data"
          + " directory aside and restart it empty to resync from the leader, or restore it from a backup");
    }
    try {
      List<Txn> tail = readTail(serverId, txnLog, snapshotZxid);
      compact(txnLog, snapshots);
      PersistentState state = new PersistentState(epochs.acceptedEpoch(), epochs.currentEpoch(), snapshotZxid, tail);
      log.info("server {} recovered: acceptedEpoch={} currentEpoch={} snapshot={} log={}..{} ({} txns after the"
          + " snapshot)", serverId, state.acceptedEpoch(), state.currentEpoch(), snapshotZxid, txnLog.baseZxid(),
          txnLog.lastZxid(), tail.size());
      return new Recovered(epochs, snapshots, txnLog, state);
    } catch (IOException | RuntimeException e) {
      txnLog.close();
      throw e;
    }
  }

  private static Zxid restoreLatest(long serverId, SnapshotStore snapshots, StateMachine sm) throws IOException {
    Optional<Zxid> latest = snapshots.latest(); // verified end to end, corrupt newer ones skipped
    if (latest.isEmpty()) {
      return Zxid.ZERO;
    }
    try (InputStream in = snapshots.open(latest.get())) {
      sm.restore(in);
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    log.info("server {}: state machine restored from snapshot {}", serverId, latest.get());
    return latest.get();
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

  /** Drops log segments covered by the older retained snapshot. */
  private static void compact(TxnLog txnLog, SnapshotStore snapshots) throws IOException {
    Optional<Zxid> point = LocalSnapshots.compactionPoint(snapshots.list());
    if (point.isPresent()) {
      txnLog.deleteSegmentsBefore(point.get());
    }
  }
}
