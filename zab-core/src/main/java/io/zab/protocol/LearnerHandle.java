package io.zab.protocol;

import io.zab.Zxid;

/** The leader's view of one follower: how far discovery and sync got, and what it acknowledged. */
final class LearnerHandle {
  enum Phase {
    /** FollowerInfo received; LeaderInfo sent or pending. */
    INFO,
    /** AckEpoch received; sync starts once a quorum acked the epoch. */
    EPOCH_ACKED,
    /** Sync stream and NewLeader sent; receives new proposals too. */
    SYNCING,
    /** NewLeader acknowledged: counts for commit quorums. */
    SYNCED
  }

  final long sid;
  Phase phase = Phase.INFO;
  long acceptedEpoch;
  /** The follower's last zxid as of its AckEpoch (where its sync starts). */
  Zxid lastZxid;
  /** The last zxid of the sync stream sent to it. */
  Zxid newLeaderZxid = Zxid.ZERO;
  /** Highest zxid it has acknowledged as durable. */
  Zxid acked = Zxid.ZERO;
  /** The highest read-barrier round it echoed (see {@link ReadBarriers}). */
  long echoedRound;
  /** Leader tick count when this follower was last heard from. */
  long lastHeard;

  LearnerHandle(long sid, long acceptedEpoch, Zxid lastZxid, long now) {
    this.sid = sid;
    this.acceptedEpoch = acceptedEpoch;
    this.lastZxid = lastZxid;
    this.lastHeard = now;
  }

  /** Whether new proposals and commits are streamed to it (after its sync stream). */
  boolean receivesProposals() {
    return phase == Phase.SYNCING || phase == Phase.SYNCED;
  }
}
