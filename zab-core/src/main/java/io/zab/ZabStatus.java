package io.zab;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One server's state at one moment: role, epoch, leader, log positions, backlogs, and on the leader the progress
 * of every follower; from {@link ZabNode#status()} or, periodically, a {@link StatusListener}. Immutable. The
 * protocol thread builds it between two batches of events, so its protocol fields (role, epoch, leader, zxids,
 * followers, snapshot transfers) belong to one state; the apply and log backlogs and the applied zxid are read
 * from their threads at that moment.
 *
 * <pre>{@code
 * ZabStatus s = node.status();
 * if (s.role() == Role.LEADING) {
 *   for (ZabStatus.FollowerStatus f : s.followers()) {
 *     if (!f.connected() || f.lagTxns() > 10_000) alert("follower " + f.serverId() + " behind: " + f);
 *   }
 * }
 * }</pre>
 *
 * @param serverId this server's id
 * @param time when the protocol thread built it
 * @param role this server's role (S1)
 * @param established whether that role serves: a leader with a synced quorum, or a follower synced with its leader
 * @param epoch the current epoch (the last one whose leader this server synced with)
 * @param leader the leader this server follows or is; empty while LOOKING (as in {@link ZabNode#leader()})
 * @param lastZxid the last zxid in this server's log (possibly not yet committed)
 * @param committedZxid the highest zxid this server knows to be committed
 * @param appliedZxid the last zxid applied to this server's state machine
 * @param applyBacklogTxns committed transactions waiting for the state machine
 * @param applyBacklogBytes memory they hold (payload plus 64 bytes each; bounded by maxApplyBacklogBytes)
 * @param logBacklogBytes log writes queued and not yet durable (payload plus 64 bytes each; bounded by
 *     maxLogBacklogBytes)
 * @param followers on the leader, every other member in server id order; empty on any other server
 * @param snapshotTransfers snapshots being sent (on the leader) or received (on a follower) now
 * @param repairingPast present while this server repairs a damaged log (docs/operations.md, "Corruption"): it
 *     neither votes nor counts in any quorum, and reports OBSERVING once it follows a leader, until that leader has
 *     synced it past this zxid (what it had logged before the damage); empty otherwise
 */
public record ZabStatus(long serverId, Instant time, Role role, boolean established, long epoch, OptionalLong leader,
    Zxid lastZxid, Zxid committedZxid, Zxid appliedZxid, long applyBacklogTxns, long applyBacklogBytes,
    long logBacklogBytes, List<FollowerStatus> followers, List<SnapshotTransfer> snapshotTransfers,
    Optional<Zxid> repairingPast) {

  /**
   * Checks the references and copies the lists.
   *
   * @param serverId this server's id
   * @param time when the protocol thread built it
   * @param role this server's role
   * @param established whether that role serves
   * @param epoch the current epoch
   * @param leader the leader; empty while LOOKING
   * @param lastZxid the last zxid in this server's log
   * @param committedZxid the highest zxid known committed
   * @param appliedZxid the last zxid applied to the state machine
   * @param applyBacklogTxns committed transactions waiting for the state machine
   * @param applyBacklogBytes the memory they hold
   * @param logBacklogBytes log writes queued and not yet durable
   * @param followers on the leader, every other member
   * @param snapshotTransfers snapshots being sent or received
   * @param repairingPast while repairing a damaged log, the zxid it must be synced past; else empty
   */
  public ZabStatus {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(lastZxid, "lastZxid");
    Objects.requireNonNull(committedZxid, "committedZxid");
    Objects.requireNonNull(appliedZxid, "appliedZxid");
    Objects.requireNonNull(repairingPast, "repairingPast");
    followers = List.copyOf(followers);
    snapshotTransfers = List.copyOf(snapshotTransfers);
  }

  /**
   * The follower with server id {@code serverId}, if this server leads and it is a member.
   *
   * @param serverId the follower's server id
   * @return its progress, or empty
   */
  public Optional<FollowerStatus> follower(long serverId) {
    return followers.stream().filter(f -> f.serverId() == serverId).findFirst();
  }

  /**
   * What the leader knows of one other member.
   *
   * <pre>{@code
   * node.status().follower(2).ifPresent(f -> log.info("follower 2: {} txns behind, {}", f.lagTxns(), f.flow()));
   * }</pre>
   *
   * @param serverId the member's server id
   * @param voter whether it counts for quorums
   * @param connected whether the transport has a connection to it
   * @param phase how far its discovery and sync with this leader got
   * @param flow what the leader's stream of its log to it is doing (flow control)
   * @param ackedZxid the highest zxid it acknowledged as durable in this leadership ({@link Zxid#ZERO} before it
   *     joined)
   * @param lagTxns transactions of the leader's in-memory log after {@code ackedZxid}; for a member behind the
   *     start of that log (it gets a snapshot) or not joined, at least the whole in-memory log
   * @param lagBytes the payload bytes of those transactions
   * @param bytesInFlight proposal bytes sent to it and not acknowledged (at most maxInFlightBytes)
   * @param sinceHeard how long ago the leader last heard from it, in whole ticks; empty before it joined
   */
  public record FollowerStatus(long serverId, boolean voter, boolean connected, Phase phase, Flow flow,
      Zxid ackedZxid, long lagTxns, long lagBytes, long bytesInFlight, Optional<Duration> sinceHeard) {

    /**
     * Checks the references.
     *
     * @param serverId the member's server id
     * @param voter whether it counts for quorums
     * @param connected whether the transport has a connection to it
     * @param phase how far its discovery and sync got
     * @param flow what the leader's stream to it is doing
     * @param ackedZxid the highest zxid it acknowledged
     * @param lagTxns transactions of the leader's in-memory log after {@code ackedZxid}
     * @param lagBytes their payload bytes
     * @param bytesInFlight proposal bytes sent to it and not acknowledged
     * @param sinceHeard how long ago the leader last heard from it
     */
    public FollowerStatus {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(flow, "flow");
      Objects.requireNonNull(ackedZxid, "ackedZxid");
      Objects.requireNonNull(sinceHeard, "sinceHeard");
    }

    /** Discovery and sync of a member with the leader (S6, S7). */
    public enum Phase {
      /** Not in discovery with this leader: never joined, or its connection was lost. */
      NOT_JOINED,
      /** Discovery (S6): it sent FollowerInfo, the epoch is being agreed. */
      DISCOVERY,
      /** Sync (S7): the leader streams what it lacks (DIFF, TRUNC or SNAP). */
      SYNCING,
      /** Synced: it counts for commits; it is in the broadcast phase (S8). */
      SYNCED
    }

    /** The leader's stream of its log to a member (flow control). */
    public enum Flow {
      /** Nothing is streamed (it has not joined, or discovery is not done). */
      IDLE,
      /** It has everything the leader logged, or gets new proposals as they come. */
      REPLICATE,
      /** Its window (maxInFlightBytes of unacknowledged proposals) is full: new proposals wait for its acks. */
      PAUSED,
      /** A snapshot is on its way to it; the proposals after it follow. */
      SNAPSHOT
    }
  }

  /**
   * A snapshot transfer in progress (S7 SNAP, or a follower caught up by snapshot).
   *
   * <pre>{@code
   * for (ZabStatus.SnapshotTransfer t : node.status().snapshotTransfers()) {
   *   log.info("snapshot {} {} server {}: {} of {} bytes", t.snapshotZxid(), t.direction(), t.peer(),
   *       t.bytes(), t.totalBytes().orElse(-1));
   * }
   * }</pre>
   *
   * @param peer the server it goes to (SENDING) or comes from (RECEIVING)
   * @param direction whether this server sends or receives it
   * @param snapshotZxid the zxid the snapshot was taken at
   * @param bytes the bytes sent or received so far
   * @param totalBytes the snapshot's size, known to the sender only
   */
  public record SnapshotTransfer(long peer, Direction direction, Zxid snapshotZxid, long bytes,
      OptionalLong totalBytes) {

    /**
     * Checks the references.
     *
     * @param peer the server it goes to or comes from
     * @param direction whether this server sends or receives it
     * @param snapshotZxid the zxid the snapshot was taken at
     * @param bytes the bytes sent or received so far
     * @param totalBytes the snapshot's size, known to the sender only
     */
    public SnapshotTransfer {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(snapshotZxid, "snapshotZxid");
      Objects.requireNonNull(totalBytes, "totalBytes");
    }

    /** Which side of the transfer this server is. */
    public enum Direction {
      /** This server (the leader) sends the snapshot. */
      SENDING,
      /** This server (a follower) receives it. */
      RECEIVING
    }
  }
}
