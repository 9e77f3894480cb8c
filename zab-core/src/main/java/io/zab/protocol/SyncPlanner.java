package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.Trunc;
import io.zab.wire.Txn;
import java.util.List;

/**
 * Chooses how the leader brings one follower up to its history (S7) and emits that stream:
 * <ul>
 *   <li>DIFF when the follower's last zxid is part of the leader's history: send what it lacks;</li>
 *   <li>TRUNC when it is not (the follower holds txns the leader does not, e.g. an uncommitted txn of an
 *       old epoch, ZOOKEEPER-1154): cut back to the largest leader zxid below it, then send the rest;</li>
 *   <li>SNAP when it is older than anything the leader still holds in memory.</li>
 * </ul>
 * Every stream carries the leader's history up to its last zxid.
 */
final class SyncPlanner {
  /** How a follower was synced; returned for logging and tests. */
  enum Kind { DIFF, TRUNC, SNAP }

  private SyncPlanner() {}

  static Kind sync(Replica r, long to, Zxid followerLast) {
    InMemoryLog log = r.log;
    Zxid from;
    Kind kind;
    if (log.knows(followerLast)) {
      kind = Kind.DIFF;
      from = followerLast;
      r.send(to, new Diff(followerLast));
    } else {
      Zxid common = log.floor(followerLast);
      if (common == null) {
        kind = Kind.SNAP;
        from = r.snapshotZxid;
        r.emit(new SendSnapshot(to, from));
      } else {
        kind = Kind.TRUNC;
        from = common;
        r.send(to, new Trunc(common));
      }
    }
    sendProposals(r, to, log.after(from));
    return kind;
  }

  /** Sends {@code txns} to {@code to} as proposals of at most maxBatchTxns txns and one frame each. */
  static void sendProposals(Replica r, long to, List<Txn> txns) {
    for (int i = 0; i < txns.size(); ) {
      int end = ProposalBatches.end(txns, i, r.config.maxBatchTxns(), r.config.maxProposalBytes());
      r.send(to, new Proposal(txns.subList(i, end)));
      i = end;
    }
  }
}
