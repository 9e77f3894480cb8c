package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.DiscardSnapshot;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.wire.Message;
import io.zab.wire.Message.AckNewLeader;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Message.Trunc;
import io.zab.wire.SnapshotHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's side of S7: apply DIFF / TRUNC / SNAP and the proposals that follow, then acknowledge
 * NEWLEADER only once every synced txn is durable and the new currentEpoch is saved, in that order
 * (ZOOKEEPER-3911, ZOOKEEPER-4643).
 */
final class FollowerSync {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerSync.class);

  private final Replica r;
  private final RoleBehavior.Exit exit;
  private final long leader;
  private boolean snapshotInProgress;
  /** The header of the snapshot being received: the membership it records (docs/protocol.md, membership). */
  private SnapshotHeader.Parser header;
  private NewLeader newLeader;
  private boolean acked;
  /** The head of the stream arrived (DIFF, TRUNC, or the whole snapshot): the log is a prefix of the leader's. */
  private boolean started;

  FollowerSync(Replica r, RoleBehavior.Exit exit, long leader) {
    this.r = r;
    this.exit = exit;
    this.leader = leader;
  }

  /** Whether the NEWLEADER ack was sent. */
  boolean acked() {
    return acked;
  }

  /** Whether this log is now a prefix of the leader's history, so that acks of it make sense to the leader. */
  boolean started() {
    return started;
  }

  /** The last zxid of the sync stream (valid once NEWLEADER arrived). */
  Zxid newLeaderZxid() {
    return newLeader.lastZxid();
  }

  void onMessage(Message m) {
    try {
      if (m instanceof Diff d) {
        requireLast(d.base(), "DIFF");
        LOG.info("server {} syncs with leader {} by DIFF from {}", r.self(), leader, d.base());
        started = true;
      } else if (m instanceof Trunc t) {
        LOG.info("server {} syncs with leader {} by TRUNC: its log is cut back from {} to {}", r.self(), leader,
            r.log.last(), t.truncateTo());
        r.truncate(t.truncateTo());
        started = true;
      } else if (m instanceof SnapChunk c) {
        onSnapChunk(c);
      } else if (m instanceof Proposal p) {
        r.append(p.txns());
      } else if (m instanceof NewLeader nl) {
        onNewLeader(nl);
      }
    } catch (InMemoryLog.LogGapException e) {
      exit.refuseLeader(leader, "sync from leader " + leader + " rejected: " + e.getMessage());
    }
  }

  /**
   * A snapshot chunk: at the head of a SNAP sync, or later in the stream when the txns this follower needed were
   * compacted away on the leader. Either way the snapshot lies beyond this log (anything else breaks the protocol).
   */
  void onSnapChunk(SnapChunk c) {
    if (c.offset() == 0) {
      if (!c.snapshotZxid().isAfter(r.log.last())) {
        throw new InMemoryLog.LogGapException("snapshot " + c.snapshotZxid() + " is not beyond the log, which ends at "
            + r.log.last());
      }
      header = new SnapshotHeader.Parser();
    }
    if (header == null) {
      throw new InMemoryLog.LogGapException("snapshot chunk at offset " + c.offset() + " without its first chunk");
    }
    try {
      header.accept(c.data());
    } catch (SnapshotHeader.IllegalHeaderException e) {
      throw new InMemoryLog.LogGapException("snapshot " + c.snapshotZxid() + ": " + e.getMessage());
    }
    if (c.last() && !header.done()) {
      throw new InMemoryLog.LogGapException("snapshot " + c.snapshotZxid() + " ends inside its header");
    }
    if (c.offset() == 0) {
      LOG.info("server {} syncs with leader {} by SNAP: receiving snapshot {} (its log ends at {})", r.self(), leader,
          c.snapshotZxid(), r.log.last());
    }
    snapshotInProgress = !c.last();
    r.emit(new InstallSnapshot(c));
    if (c.last()) {
      r.snapshotInstalled(c.snapshotZxid(), header.membership());
      header = null;
      started = true;
    }
  }

  private void onNewLeader(NewLeader nl) {
    if (newLeader != null) {
      return;
    }
    requireLast(nl.lastZxid(), "NEWLEADER");
    newLeader = nl;
    ackNewLeaderIfDurable();
  }

  /** Acks NEWLEADER once the synced txns are fsynced: save currentEpoch first, then send the ack. */
  void ackNewLeaderIfDurable() {
    if (newLeader == null || acked || r.durable.isBefore(newLeader.lastZxid())) {
      return;
    }
    r.emit(new SaveCurrentEpoch(newLeader.epoch()));
    r.currentEpoch = newLeader.epoch();
    acked = true;
    r.send(leader, new AckNewLeader(newLeader.epoch()));
  }

  /** The sync was interrupted: a partial snapshot must not survive (ZOOKEEPER-3642). */
  void abandon() {
    if (snapshotInProgress) {
      snapshotInProgress = false;
      r.emit(new DiscardSnapshot());
    }
  }

  private void requireLast(Zxid expected, String what) {
    if (!r.log.last().equals(expected)) {
      throw new InMemoryLog.LogGapException(what + " expects the log to end at " + expected + " but it ends at "
          + r.log.last());
    }
  }
}
