package io.zab.testkit.sim;

import io.zab.Zxid;
import io.zab.protocol.LogImage;
import io.zab.protocol.RepairPoint;
import io.zab.protocol.SnapshotAssembly;
import io.zab.protocol.StorageContract;
import io.zab.storage.EpochCopy;
import io.zab.storage.EpochRecovery;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One server's disk. Appends become durable only when a group fsync (started when the first unsynced append
 * arrives, covering everything queued by then) completes after a random delay; a crash loses the unsynced
 * appends (sometimes a prefix the OS happened to flush survives; the write after it is torn, so lost). Epoch saves,
 * truncations and snapshots are durable at once, as the action contract requires for epochs and snapshots;
 * truncation is modelled as synchronous (truncate + fsync) too.
 *
 * <p>The epochs are kept as the runtime keeps them: two copies of the epoch file, both written on every save.
 * Faults can lose, damage or revert a copy while the server is down; at start {@link #recoverEpochs()} applies
 * the runtime's own rules ({@link EpochRecovery}), which may refuse the start.
 */
@SuppressWarnings("exports") // drives the pure protocol core: names its Action/Event/Timing types (see module-info)
public final class SimDisk implements StorageContract {
  private static final int SNAPSHOTS_KEPT = 4;

  private final long server;
  private final Scheduler scheduler;
  private final SplittableRandom random;
  private final Violations violations;
  private final long fsyncMinMicros;
  private final long fsyncMaxMicros;
  private final DiskFaults faults;

  /**
   * A pair of epochs this disk once saved (what a reverted copy of the epoch file holds).
   *
   * @param acceptedEpoch the accepted epoch saved
   * @param currentEpoch the current epoch saved
   */
  public record SavedEpochs(long acceptedEpoch, long currentEpoch) {}

  private final EpochCopy[] epochCopies;
  private final List<SavedEpochs> savedEpochs = new ArrayList<>();
  /** Whether a server ever started on this disk (its log and snapshot directories exist). */
  private boolean initialized;
  private final Map<Zxid, byte[]> snapshots = new LinkedHashMap<>();
  /** The log, shared with the protocol tests' disk: what Append, Truncate, fsyncs, snapshots and crashes leave. */
  private final LogImage log = new LogImage(Zxid.ZERO, List.of());
  private boolean fsyncRunning;
  /** Bumped on crash so that an fsync in flight at the crash never completes. */
  private long generation;
  private final SnapshotAssembly incoming = new SnapshotAssembly();
  private Consumer<Zxid> onPersisted = z -> {};
  private long fsyncs;
  /** The repairing marker: set by {@link #damageLog}, cleared when the core reports the repair done. */
  private RepairPoint repairing;

  /**
   * An empty disk: no epoch file, no log, and the empty snapshot.
   *
   * @param server the id of the server it belongs to
   * @param scheduler the simulated time that fsyncs complete in
   * @param random the run's random source (fsync times, what a crash keeps)
   * @param violations where it reports a core that breaks the action contract or log order
   * @param fsyncMinMicros shortest fsync
   * @param fsyncMaxMicros longest fsync
   * @param faults correct, or a deliberately buggy disk
   * @param emptySnapshot the snapshot at zxid 0 (an empty state machine's)
   */
  public SimDisk(long server, Scheduler scheduler, SplittableRandom random, Violations violations,
      long fsyncMinMicros, long fsyncMaxMicros, DiskFaults faults, byte[] emptySnapshot) {
    this.server = server;
    this.scheduler = scheduler;
    this.random = random;
    this.violations = violations;
    this.fsyncMinMicros = fsyncMinMicros;
    this.fsyncMaxMicros = fsyncMaxMicros;
    this.faults = faults;
    snapshots.put(Zxid.ZERO, emptySnapshot.clone());
    epochCopies = new EpochCopy[] {EpochCopy.missing(copyName(0)), EpochCopy.missing(copyName(1))};
  }

  private String copyName(int i) {
    return "s" + server + "/epochs/" + (i == 0 ? "epochs" : "epochs.2");
  }

  /**
   * Where {@code Persisted} notifications go (the running incarnation of the server).
   *
   * @param listener told the last zxid made durable by each fsync
   */
  public void onPersisted(Consumer<Zxid> listener) {
    this.onPersisted = listener;
  }

  /**
   * Fsyncs completed so far.
   *
   * @return the number of fsyncs
   */
  public long fsyncs() {
    return fsyncs;
  }

  /**
   * The last zxid of the log as the server sees it (durable or not).
   *
   * @return the last zxid, or the snapshot's if the log is empty
   */
  public Zxid lastZxid() {
    return log.lastZxid();
  }

  /**
   * The last zxid that is durable (what a crash right now would keep at least).
   *
   * @return the last durable zxid, or the snapshot's if no txn after it is durable
   */
  public Zxid durableLastZxid() {
    return log.durableLastZxid();
  }

  /**
   * Whether {@code zxid} survives a crash right now: its txn is in the durable log, or a durable snapshot covers it
   * (snapshots hold committed state only).
   *
   * @param zxid the txn's zxid
   * @return true if a crash now would keep it
   */
  public boolean durablyHolds(Zxid zxid) {
    return log.durablyHolds(zxid);
  }

  /**
   * Appends txns to the log; they become durable at the end of an fsync. Reports a violation if their zxids do not
   * follow the log's last one in order.
   *
   * @param txns the txns, in zxid order
   */
  @Override
  public void append(List<Txn> txns) {
    log.append(txns, problem -> violations.report("LogZxidOrder", server, problem));
    if (txns.isEmpty()) {
      return;
    }
    if (faults == DiskFaults.ACK_BEFORE_FSYNC) {
      Zxid acked = log.lastZxid();
      long gen = generation;
      scheduler.after(0, () -> {
        if (gen == generation) {
          onPersisted.accept(acked);
        }
      });
    }
    startFsyncIfIdle();
  }

  private void startFsyncIfIdle() {
    if (fsyncRunning || log.unsyncedCount() == 0) {
      return;
    }
    fsyncRunning = true;
    long coveredSeq = log.lastUnsyncedSeq();
    long gen = generation;
    scheduler.after(random.nextLong(fsyncMinMicros, fsyncMaxMicros + 1), () -> {
      if (gen == generation) {
        fsyncDone(coveredSeq);
      }
    });
  }

  private void fsyncDone(long coveredSeq) {
    fsyncRunning = false;
    fsyncs++;
    Zxid synced = log.syncThrough(coveredSeq);
    if (synced != null && faults != DiskFaults.ACK_BEFORE_FSYNC) {
      onPersisted.accept(synced);
    }
    startFsyncIfIdle();
  }

  /**
   * Drops every txn after {@code after}, durably.
   *
   * @param after the last zxid kept
   */
  @Override
  public void truncateAfter(Zxid after) {
    String problem = log.truncateAfter(after);
    if (problem != null) {
      violations.report("ActionContract", server, problem);
    }
  }

  /**
   * Saves the accepted epoch durably, in both copies of the epoch file.
   *
   * @param epoch the accepted epoch
   */
  @Override
  public void saveAcceptedEpoch(long epoch) {
    writeEpochs(epoch, currentEpoch());
  }

  /**
   * Saves the current epoch durably, in both copies of the epoch file.
   *
   * @param epoch the current epoch
   */
  @Override
  public void saveCurrentEpoch(long epoch) {
    writeEpochs(acceptedEpoch(), epoch);
  }

  private void writeEpochs(long accepted, long current) {
    for (int i = 0; i < epochCopies.length; i++) {
      epochCopies[i] = EpochCopy.valid(copyName(i), accepted, current);
    }
    SavedEpochs saved = new SavedEpochs(accepted, current);
    if (savedEpochs.isEmpty() || !savedEpochs.get(savedEpochs.size() - 1).equals(saved)) {
      savedEpochs.add(saved);
    }
  }

  /**
   * The accepted epoch a start would read.
   *
   * @return the highest in a valid copy (0 if none)
   */
  @Override
  public long acceptedEpoch() {
    return Arrays.stream(epochCopies).filter(EpochCopy::isValid).mapToLong(EpochCopy::acceptedEpoch).max().orElse(0);
  }

  /**
   * The current epoch a start would read.
   *
   * @return the highest in a valid copy (0 if none)
   */
  @Override
  public long currentEpoch() {
    return Arrays.stream(epochCopies).filter(EpochCopy::isValid).mapToLong(EpochCopy::currentEpoch).max().orElse(0);
  }

  /**
   * The copies of the epoch file as a start finds them.
   *
   * @return both copies, the first one first
   */
  public List<EpochCopy> epochCopies() {
    return List.of(epochCopies);
  }

  /**
   * Every distinct pair of epochs saved so far, oldest first.
   *
   * @return a copy of the list
   */
  public List<SavedEpochs> savedEpochs() {
    return List.copyOf(savedEpochs);
  }

  /**
   * Fault: copy {@code i} (0 or 1) of the epoch file is gone.
   *
   * @param i which copy, 0 or 1
   */
  public void loseEpochCopy(int i) {
    epochCopies[i] = EpochCopy.missing(copyName(i));
  }

  /**
   * Fault: copy {@code i} of the epoch file fails its checksum.
   *
   * @param i which copy, 0 or 1
   */
  public void damageEpochCopy(int i) {
    epochCopies[i] = EpochCopy.damaged(copyName(i), "checksum mismatch");
  }

  /**
   * Fault: copy {@code i} of the epoch file holds epochs saved earlier (an old version came back).
   *
   * @param i which copy, 0 or 1
   * @param old the epochs it holds now, one of {@link #savedEpochs()}
   */
  public void revertEpochCopy(int i, SavedEpochs old) {
    epochCopies[i] = EpochCopy.valid(copyName(i), old.acceptedEpoch(), old.currentEpoch());
  }

  /**
   * At start: the runtime's decision on the epoch copies ({@link EpochRecovery}); on {@code Start} the copies
   * are rewritten to hold the decided epochs, as the runtime does. With {@link DiskFaults#READS_LOST_EPOCHS_AS_ZERO}
   * every refusal becomes a start from the best copy or from zero (the bug of issue 14).
   *
   * @return start with these epochs, or refuse and why
   */
  public EpochRecovery.Decision recoverEpochs() {
    EpochRecovery.Decision d = EpochRecovery.decide(server, new EpochRecovery.Found(epochCopies(), "s" + server
        + "/log", initialized, "s" + server + "/snapshots", initialized, durableLastZxid()));
    if (d instanceof EpochRecovery.Refuse && faults == DiskFaults.READS_LOST_EPOCHS_AS_ZERO) {
      d = new EpochRecovery.Start(acceptedEpoch(), currentEpoch(), false, List.of());
    }
    if (d instanceof EpochRecovery.Start start) {
      initialized = true;
      for (int i = 0; i < epochCopies.length; i++) {
        epochCopies[i] = EpochCopy.valid(copyName(i), start.acceptedEpoch(), start.currentEpoch());
      }
    }
    return d;
  }

  /**
   * The zxid of the latest durable snapshot.
   *
   * @return the snapshot's zxid ({@link Zxid#ZERO} for the empty one)
   */
  public Zxid snapshotZxid() {
    return log.snapshotZxid();
  }

  /**
   * Stores a snapshot of the applied state at {@code zxid} durably and drops the log up to it.
   *
   * @param zxid the last txn the snapshot covers
   * @param state the snapshot's bytes (copied)
   */
  public void saveSnapshot(Zxid zxid, byte[] state) {
    snapshots.put(zxid, state.clone());
    while (snapshots.size() > SNAPSHOTS_KEPT) {
      snapshots.remove(snapshots.keySet().iterator().next());
    }
    log.compactTo(zxid);
  }

  /**
   * The stored snapshot taken at {@code zxid}.
   *
   * @param zxid the snapshot's zxid
   * @return a copy of its bytes, or null when it is no longer (or never was) kept
   */
  public byte[] snapshotAt(Zxid zxid) {
    byte[] s = snapshots.get(zxid);
    return s == null ? null : s.clone();
  }

  /**
   * Stores one received snapshot chunk; on the last one makes the snapshot durable, resets the log to start
   * after it. Reports a violation if the chunk does not continue the transfer under way.
   *
   * @param chunk the next chunk of a snapshot sent by the leader
   * @return the complete snapshot after the last chunk, else null
   */
  public byte[] installChunk(SnapChunk chunk) {
    byte[] state = incoming.accept(chunk, problem -> violations.report("ActionContract", server, problem));
    if (state == null) {
      return null;
    }
    log.resetTo(chunk.snapshotZxid());
    fsyncRunning = false;
    generation++;
    snapshots.put(chunk.snapshotZxid(), state.clone());
    return state;
  }

  /** Forgets the chunks of a snapshot transfer under way (the transfer was abandoned). */
  public void discardIncomingSnapshot() {
    incoming.discard();
  }

  /**
   * Crash: unsynced appends are lost; one time in four the OS had flushed a random prefix of them, and the
   * write after that prefix is torn, so lost.
   */
  public void crash() {
    int unsynced = log.unsyncedCount();
    log.crash(unsynced == 0 || random.nextInt(4) != 0 ? 0 : random.nextInt(unsynced + 1));
    fsyncRunning = false;
    incoming.discard();
    generation++;
  }

  /** Clean shutdown: everything written so far reaches the disk. */
  public void flush() {
    log.syncAll();
    fsyncRunning = false;
    incoming.discard();
    generation++;
  }

  /**
   * A record damaged in the middle of the log, found at the next start (the server is down): as the runtime's recovery
   * does, the log keeps its first {@code keep} durable txns after the snapshot, the rest is set aside, and the marker
   * records the last zxid it had and its accepted epoch (merged with a repair still in progress).
   *
   * @param keep how many durable txns after the snapshot survive, at most {@link #durableTxns()}
   */
  public void damageLog(int keep) {
    RepairPoint found = new RepairPoint(durableLastZxid(), acceptedEpoch());
    log.damageKeeping(keep); // the server is down: nothing is unsynced
    repairing = found.merge(repairing);
  }

  /**
   * The newest snapshot found damaged at the next start (the server is down), as the runtime's recovery finds it (it
   * fails its checksum): it is set aside, and the server restores the newest older snapshot it keeps. The log was
   * compacted up to the damaged snapshot, so it starts after the one restored and the txns in between are missing
   * here: as the runtime does, the whole log is set aside and the marker records the last zxid the server had and its
   * accepted epoch (merged with a repair still in progress), so that it repairs from the ensemble.
   *
   * @return whether it was damaged: false (nothing changed) if no older snapshot is kept
   */
  public boolean damageNewestSnapshot() {
    Zxid newest = log.snapshotZxid();
    Zxid older = null;
    for (Zxid z : snapshots.keySet()) {
      if (z.isBefore(newest) && (older == null || z.isAfter(older))) {
        older = z;
      }
    }
    if (older == null) {
      return false;
    }
    RepairPoint found = new RepairPoint(durableLastZxid(), acceptedEpoch());
    Zxid restored = older;
    snapshots.keySet().removeIf(z -> z.isAfter(restored)); // the damaged one, set aside
    log.resetTo(restored); // the server is down: nothing is unsynced
    repairing = found.merge(repairing);
    return true;
  }

  /**
   * The repairing marker.
   *
   * @return what the damaged log may have lost, or null if it is not repairing
   */
  public RepairPoint repairing() {
    return repairing;
  }

  /** The core reported the repair over: the marker is deleted durably. */
  @Override
  public void repairDone() {
    repairing = null;
  }

  /**
   * The txns durable after the snapshot (what {@link #damageLog} may cut).
   *
   * @return how many there are
   */
  public int durableTxns() {
    return log.durableCount();
  }

  /**
   * What a restarted server finds.
   *
   * @return the epochs, latest snapshot, durable log and repairing marker
   */
  public DurableState durableState() {
    Zxid snapshotZxid = log.snapshotZxid();
    return new DurableState(acceptedEpoch(), currentEpoch(), snapshotZxid, snapshots.get(snapshotZxid).clone(),
        log.durableTxns(), repairing);
  }
}
