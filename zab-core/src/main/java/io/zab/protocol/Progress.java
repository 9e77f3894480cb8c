package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.FollowerProgress.Flow;
import io.zab.protocol.FollowerProgress.Phase;
import java.util.ArrayDeque;

/**
 * The leader's state of one member, owned by {@link QuorumTracker}: discovery and sync phase, what the member
 * acknowledged, when it was last heard, and where its log stream stands (what {@link Replicator} sent it and what
 * of that is not acknowledged yet: the bytes in flight that flow control bounds).
 */
final class Progress {
  final long sid;
  /**
   * Whether it counts in quorums: a voter of the configuration in force, unless the leader decided otherwise; never
   * an observer, a learner or a removed member. Set by {@link QuorumTracker#reconfigure}.
   */
  boolean voter;
  /** Its FollowerInfo said it does not vote (it is repairing a damaged log): it counts in no quorum then. */
  boolean abstaining;
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

  // ---- the log stream (Replicator) ----
  /** The last zxid of the leader's history streamed to it (its log ends there once everything arrived). */
  Zxid sent = Zxid.ZERO;
  /** Whether NewLeader went out (it follows the stream up to {@link #newLeaderZxid}). */
  boolean newLeaderSent;
  /** Proposals sent and not acknowledged yet, oldest first: last zxid and body bytes of each. */
  final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  /** Body bytes of {@link #inFlight}. */
  long bytesInFlight;
  /** A snapshot streamed to it and not yet acknowledged (null if none). */
  Zxid snapshotInFlight;
  /** What the stream is doing (for views). */
  Flow flow = Flow.IDLE;

  /** A proposal in flight. */
  record InFlight(Zxid last, long bytes) {}

  Progress(long sid, boolean voter, boolean connected) {
    this.sid = sid;
    this.voter = voter;
    this.connected = connected;
  }

  /** It (re)starts discovery with a FollowerInfo: everything learned before is forgotten. */
  void join(long acceptedEpoch, Zxid lastZxid, boolean abstaining, long now) {
    reset();
    this.abstaining = abstaining;
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
    sent = Zxid.ZERO;
    newLeaderSent = false;
    inFlight.clear();
    bytesInFlight = 0;
    snapshotInFlight = null;
    flow = Flow.IDLE;
  }

  /** Whether its acks, echoes and discovery messages count for a quorum: a voter that does not abstain. */
  boolean counts() {
    return voter && !abstaining;
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
    return new FollowerProgress(sid, counts(), connected, phase, flow, acked, sent, bytesInFlight, echoedRound,
        joined() ? now - lastHeard : -1);
  }
}
