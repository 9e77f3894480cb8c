package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;

/** Test double of one server's disk: what its Append, Truncate, SaveEpoch and InstallSnapshot actions produced. */
final class SimDisk {
  long acceptedEpoch;
  long currentEpoch;
  Zxid snapshotZxid = Zxid.ZERO;
  /** The membership the snapshot recorded (null: none). */
  Membership snapshotMembership;
  final List<Txn> log = new ArrayList<>();
  /** How many log entries are fsynced. */
  int durableCount;
  /** The repairing marker (null: none). */
  RepairPoint repairing;

  SimDisk(PersistentState initial) {
    acceptedEpoch = initial.acceptedEpoch();
    currentEpoch = initial.currentEpoch();
    snapshotZxid = initial.snapshotZxid();
    snapshotMembership = initial.snapshotMembership();
    log.addAll(initial.logAfterSnapshot());
    durableCount = log.size();
    repairing = initial.repairing();
  }

  /** Carries out a storage action; false if {@code a} is not one. */
  boolean apply(Action a) {
    if (a instanceof Action.Append ap) {
      log.addAll(ap.txns());
    } else if (a instanceof Action.Truncate t) {
      truncateAfter(t.after());
    } else if (a instanceof Action.SaveAcceptedEpoch s) {
      acceptedEpoch = s.epoch();
    } else if (a instanceof Action.SaveCurrentEpoch s) {
      currentEpoch = s.epoch();
    } else if (a instanceof Action.RepairDone) {
      repairing = null;
    } else if (a instanceof Action.InstallSnapshot is && is.chunk().last()) {
      snapshotZxid = is.chunk().snapshotZxid();
      log.clear();
      durableCount = 0;
      return false; // the harness also replaces the state machine
    } else {
      return false;
    }
    return true;
  }

  Zxid last() {
    return log.isEmpty() ? snapshotZxid : log.get(log.size() - 1).zxid();
  }

  void truncateAfter(Zxid z) {
    log.removeIf(t -> t.zxid().isAfter(z));
    durableCount = Math.min(durableCount, log.size());
  }

  /** fsyncs everything appended so far; returns the durable last zxid. */
  Zxid fsync() {
    durableCount = log.size();
    return last();
  }

  /** fsyncs only the first {@code count} entries (a group commit that covers part of the queue). */
  Zxid fsyncPrefix(int count) {
    durableCount = Math.max(durableCount, Math.min(count, log.size()));
    return durableCount == 0 ? snapshotZxid : log.get(durableCount - 1).zxid();
  }

  /** A crash loses whatever was not fsynced. */
  void crash() {
    log.subList(durableCount, log.size()).clear();
  }

  /**
   * Damage found at start (the server is down): the log keeps its first {@code keep} txns after the snapshot, the rest
   * is set aside, and the marker records the last zxid it had and its accepted epoch, as the runtime's recovery does.
   */
  void damageKeeping(int keep) {
    RepairPoint found = new RepairPoint(last(), acceptedEpoch);
    log.subList(keep, log.size()).clear();
    durableCount = Math.min(durableCount, log.size());
    repairing = found.merge(repairing);
  }

  PersistentState recover() {
    return new PersistentState(acceptedEpoch, currentEpoch, snapshotZxid,
        log.stream().filter(t -> t.zxid().isAfter(snapshotZxid)).toList(), snapshotMembership, repairing);
  }
}
