package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.util.List;

/**
 * Test double of one server's disk: what its Append, Truncate, SaveEpoch and InstallSnapshot actions produced. The
 * storage actions are carried out by {@link StorageContract} on a {@link LogImage}, and snapshot chunks assembled by a
 * {@link SnapshotAssembly}, as in the testkit's simulator; an append out of zxid order, a truncation below the
 * snapshot, an epoch saved below the one on disk or a chunk that does not continue its transfer fails the test at once.
 */
final class SimDisk implements StorageContract {
  private long acceptedEpoch;
  private long currentEpoch;
  /** The membership the snapshot recorded (null: none). */
  Membership snapshotMembership;
  private final LogImage log;
  private final SnapshotAssembly incoming = new SnapshotAssembly();
  /** The repairing marker (null: none). */
  RepairPoint repairing;

  SimDisk(PersistentState initial) {
    acceptedEpoch = initial.acceptedEpoch();
    currentEpoch = initial.currentEpoch();
    snapshotMembership = initial.snapshotMembership();
    log = new LogImage(initial.snapshotZxid(), initial.logAfterSnapshot());
    repairing = initial.repairing();
  }

  /** Carries out a storage action; false if {@code a} is not one. */
  boolean apply(Action a) {
    return StorageContract.carryOut(a, this, problem -> {
      throw new AssertionError("EpochMonotonic: " + problem);
    });
  }

  /**
   * Stores one chunk of a snapshot from the leader (it must continue the transfer under way); after the last one the
   * log starts after the snapshot. Returns the whole snapshot then (the harness replaces the state machine), else null.
   */
  byte[] installChunk(SnapChunk chunk) {
    byte[] snapshot = incoming.accept(chunk, problem -> {
      throw new AssertionError("ActionContract: " + problem);
    });
    if (snapshot != null) {
      log.resetTo(chunk.snapshotZxid());
    }
    return snapshot;
  }

  /** The snapshot transfer under way was abandoned. */
  void discardIncomingSnapshot() {
    incoming.discard();
  }

  @Override
  public void append(List<Txn> txns) {
    log.append(txns, problem -> {
      throw new AssertionError("LogZxidOrder: " + problem);
    });
  }

  @Override
  public long acceptedEpoch() {
    return acceptedEpoch;
  }

  @Override
  public long currentEpoch() {
    return currentEpoch;
  }

  @Override
  public void saveAcceptedEpoch(long epoch) {
    acceptedEpoch = epoch;
  }

  @Override
  public void saveCurrentEpoch(long epoch) {
    currentEpoch = epoch;
  }

  @Override
  public void repairDone() {
    repairing = null;
  }

  /** Every txn after the snapshot, durable or not, in order. */
  List<Txn> log() {
    return log.txns();
  }

  /** How many txns after the snapshot are fsynced. */
  int durableCount() {
    return log.durableCount();
  }

  Zxid snapshotZxid() {
    return log.snapshotZxid();
  }

  /** A snapshot at {@code z} was taken (durably): the log keeps what follows it. */
  void snapshotTaken(Zxid z) {
    log.compactTo(z);
  }

  /** The log is gone (only the snapshot is left). */
  void loseLog() {
    log.resetTo(log.snapshotZxid());
  }

  Zxid last() {
    return log.lastZxid();
  }

  @Override
  public void truncateAfter(Zxid z) {
    String problem = log.truncateAfter(z);
    if (problem != null) {
      throw new AssertionError(problem);
    }
  }

  /** fsyncs everything appended so far; returns the durable last zxid. */
  Zxid fsync() {
    return log.syncAll();
  }

  /** fsyncs only the first {@code count} entries (a group commit that covers part of the queue). */
  Zxid fsyncPrefix(int count) {
    return log.syncFirst(count);
  }

  /** A crash loses whatever was not fsynced. */
  void crash() {
    log.crash(0);
    incoming.discard();
  }

  /**
   * Damage found at start (the server is down): the log keeps its first {@code keep} txns after the snapshot, the rest
   * is set aside, and the marker records the last zxid it had and its accepted epoch, as the runtime's recovery does.
   */
  void damageKeeping(int keep) {
    RepairPoint found = new RepairPoint(last(), acceptedEpoch);
    log.damageKeeping(keep);
    repairing = found.merge(repairing);
  }

  PersistentState recover() {
    return new PersistentState(acceptedEpoch, currentEpoch, log.snapshotZxid(), log.txns(), snapshotMembership,
        repairing);
  }
}
