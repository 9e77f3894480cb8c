package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.Trunc;

/**
 * Chooses how the leader brings one follower up to its history (S7) and emits the head of that stream:
 * <ul>
 *   <li>DIFF when the follower's last zxid is part of the leader's history: send what it lacks;</li>
 *   <li>TRUNC when it is not (the follower holds txns the leader does not, e.g. an uncommitted txn of an
 *       old epoch, ZOOKEEPER-1154): cut back to the largest leader zxid below it, then send the rest;</li>
 *   <li>SNAP when it is older than anything the leader still holds in memory.</li>
 * </ul>
 * The {@link Replicator} then streams the leader's history from where the follower's log ends after the head.
 */
final class SyncPlanner {
  /** How a follower was synced; returned for logging and tests. */
  enum Kind { DIFF, TRUNC, SNAP }

  /** The chosen sync: its kind, and the zxid the follower's log ends at once the head arrived. */
  record Plan(Kind kind, Zxid from) {}

  private SyncPlanner() {}

  static Plan sync(Replica r, long to, Zxid followerLast) {
    InMemoryLog log = r.log;
    if (log.knows(followerLast)) {
      r.send(to, new Diff(followerLast));
      return new Plan(Kind.DIFF, followerLast);
    }
    Zxid common = log.floor(followerLast);
    if (common == null) {
      r.emit(new SendSnapshot(to, r.snapshotZxid));
      return new Plan(Kind.SNAP, r.snapshotZxid);
    }
    r.send(to, new Trunc(common));
    return new Plan(Kind.TRUNC, common);
  }
}
