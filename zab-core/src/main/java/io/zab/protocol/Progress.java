package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.FollowerProgress.Phase;

/**
 * The leader's state of one member, owned by {@link QuorumTracker}: discovery and sync phase, what the member
 * acknowledged, when it was last heard.
 */
final class Progress {
  final long sid;
  final boolean voter;
  boolean connected;
  Phase phase = Phase.NONE;
  /** The acceptedEpoch of its FollowerInfo. */
  long acceptedEpoch;
  /** Its last zxid as of FollowerInfo, then as of AckEpoch (where its sync starts). */
  Zxid lastZxid = Zxid.ZERO;
  /** The last zxid of the sync stream (what NewLeader names). */
  Zxid newLeaderZxid = Zxid.ZERO;
  /** Highest zxid it acknowledged as durable. */
  Zxid acked = Zxid.ZERO;
  /** The highest read-barrier round it echoed (see {@link ReadBarriers}). */
  long echoedRound;
  /** Leader tick count when it was last heard from. */
  long lastHeard;

  Progress(long sid, boolean voter, boolean connected) {
    this.sid = sid;
    this.voter = voter;
    this.connected = connected;
  }

  /** It (re)starts discovery with a FollowerInfo: everything learned before is forgotten. */
  void join(long acceptedEpoch, Zxid lastZxid, long now) {
    reset();
    this.phase = Phase.INFO;
    this.acceptedEpoch = acceptedEpoch;
    this.lastZxid = lastZxid;
    this.lastHeard = now;
  }

  /** Its connection was lost: it re-runs discovery when it comes back. */
  void detach() {
    reset();
  }

  private void reset() {
    phase = Phase.NONE;
    acceptedEpoch = 0;
    lastZxid = Zxid.ZERO;
    newLeaderZxid = Zxid.ZERO;
    acked = Zxid.ZERO;
    echoedRound = 0;
  }

  boolean joined() {
    return phase != Phase.NONE;
  }

  boolean synced() {
    return phase == Phase.SYNCED;
  }

  /** Whether new proposals and commits are streamed to it (after its sync stream). */
  boolean receivesProposals() {
    return phase == Phase.SYNCING || phase == Phase.SYNCED;
  }

  FollowerProgress view(long now) {
    return new FollowerProgress(sid, voter, connected, phase, acked, echoedRound, joined() ? now - lastHeard : -1);
  }
}
