package io.zab.wire;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.Zxid;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every message exchanged between zab servers. The sender's id is not part of a message: the transport
 * knows which authenticated peer a message came from.
 *
 * <p>A transport treats messages as opaque values: it encodes and decodes them with {@link MessageCodec}.
 *
 * <pre>{@code
 * MessageCodec codec = new MessageCodec();
 * byte[] body = codec.encode(new Message.Ping(Zxid.of(1, 7)));
 * Message back = codec.decode(ByteBuffer.wrap(body));   // equals the ping
 * }</pre>
 *
 * <p>Phases (see docs/protocol.md and the seed, S2-S9):
 * <ul>
 *   <li>Election (S3-S5): {@link Notification}.</li>
 *   <li>Discovery (S6): {@link FollowerInfo} → {@link LeaderInfo} → {@link AckEpoch}.</li>
 *   <li>Sync (S7): {@link Diff} | {@link Trunc} | {@link SnapChunk}s, then {@link Proposal}s, then
 *       {@link NewLeader} → {@link AckNewLeader} → {@link UpToDate}.</li>
 *   <li>Broadcast (S8, S9): {@link Proposal} → {@link Ack} → {@link Commit}; {@link Request} →
 *       {@link RequestReply}; {@link SyncRequest} → {@link SyncReply}; {@link Ping} both ways.</li>
 * </ul>
 */
public sealed interface Message {

  /**
   * An election vote (S4, S5): the sender's state, the leader it proposes and that leader's zxid and
   * epoch, and the sender's election round (logical clock). {@code voting} is false while the sender may not vote
   * although its membership lists it as a voter (it is repairing a damaged log, docs/protocol.md): nobody counts
   * its vote or its support for a leader.
   *
   * <p>{@code configVersion} places the sender's membership in force: the zxid value of the last CONFIG txn of its
   * log (or the version of the configuration it started from). {@code membership} is that membership, sent only to
   * a server whose own last notification showed an older version (null otherwise): a server that missed a change
   * learns from it the addresses of members added meanwhile, and which leader a quorum of them follows
   * (docs/protocol.md, membership: stranded members). It never changes the receiver's quorums.
   */
  record Notification(Role state, long leader, Zxid zxid, long round, long peerEpoch, boolean voting,
      long configVersion, Membership membership) implements Message {
    /**
     * Checks the fields.
     *
     * @param state the sender's role
     * @param leader the server it votes for
     * @param zxid that server's last zxid
     * @param round the sender's election round
     * @param peerEpoch that server's epoch
     * @param voting false while the sender is repairing its log: its vote counts for no one
     * @param configVersion the zxid value of the sender's last CONFIG txn (its configuration's version if none)
     * @param membership the sender's membership in force, for a receiver behind it; null if not sent
     */
    public Notification {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(zxid, "zxid");
    }

    /**
     * Without a configuration (version 0, nothing attached).
     *
     * @param state the sender's role
     * @param leader the server it votes for
     * @param zxid that server's last zxid
     * @param round the sender's election round
     * @param peerEpoch that server's epoch
     * @param voting false while the sender is repairing its log: its vote counts for no one
     */
    public Notification(Role state, long leader, Zxid zxid, long round, long peerEpoch, boolean voting) {
      this(state, leader, zxid, round, peerEpoch, voting, 0, null);
    }

    /**
     * From a server that votes, without a configuration (version 0, nothing attached).
     *
     * @param state the sender's role
     * @param leader the server it votes for
     * @param zxid that server's last zxid
     * @param round the sender's election round
     * @param peerEpoch that server's epoch
     */
    public Notification(Role state, long leader, Zxid zxid, long round, long peerEpoch) {
      this(state, leader, zxid, round, peerEpoch, true);
    }
  }

  /**
   * Follower → prospective leader: my accepted epoch and last logged zxid (S6). {@code voting} is false while the
   * follower is repairing (docs/protocol.md): the leader then counts it in no quorum.
   */
  record FollowerInfo(long acceptedEpoch, Zxid lastZxid, boolean voting) implements Message {
    /**
     * Checks the fields.
     *
     * @param acceptedEpoch the follower's accepted epoch
     * @param lastZxid its last logged zxid
     * @param voting false while the follower is repairing its log
     */
    public FollowerInfo {
      Objects.requireNonNull(lastZxid, "lastZxid");
    }

    /**
     * From a server that votes.
     *
     * @param acceptedEpoch the follower's accepted epoch
     * @param lastZxid its last logged zxid
     */
    public FollowerInfo(long acceptedEpoch, Zxid lastZxid) {
      this(acceptedEpoch, lastZxid, true);
    }
  }

  /** Prospective leader → follower: the new epoch (NEWEPOCH / LEADERINFO, S6). */
  record LeaderInfo(long newEpoch) implements Message {}

  /** Follower → leader: I accepted the new epoch; my current epoch and last logged zxid (S6). */
  record AckEpoch(long currentEpoch, Zxid lastZxid) implements Message {
    /**
     * Checks the fields.
     *
     * @param currentEpoch the follower's current epoch
     * @param lastZxid its last logged zxid
     */
    public AckEpoch {
      Objects.requireNonNull(lastZxid, "lastZxid");
    }
  }

  /** Leader → follower: your log up to {@code base} matches mine; the missing txns follow as proposals. */
  record Diff(Zxid base) implements Message {
    /**
     * Checks the fields.
     *
     * @param base where the follower's log matches the leader's
     */
    public Diff {
      Objects.requireNonNull(base, "base");
    }
  }

  /** Leader → follower: drop every txn after {@code truncateTo}; the missing txns follow as proposals. */
  record Trunc(Zxid truncateTo) implements Message {
    /**
     * Checks the fields.
     *
     * @param truncateTo the last txn the follower keeps
     */
    public Trunc {
      Objects.requireNonNull(truncateTo, "truncateTo");
    }
  }

  /**
   * Leader → follower: one chunk of the application snapshot taken at {@code snapshotZxid}. Chunks arrive in
   * order from offset 0; {@code last} marks the final one. Txns after {@code snapshotZxid} follow as proposals.
   */
  record SnapChunk(Zxid snapshotZxid, long offset, byte[] data, boolean last) implements Message {
    /**
     * Checks the fields.
     *
     * @param snapshotZxid the zxid the snapshot was taken at
     * @param offset where this chunk starts in the snapshot, at least 0
     * @param data the chunk's bytes
     * @param last whether this is the final chunk
     */
    public SnapChunk {
      Objects.requireNonNull(snapshotZxid, "snapshotZxid");
      Objects.requireNonNull(data, "data");
      if (offset < 0) {
        throw new IllegalArgumentException("negative snapshot offset " + offset);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SnapChunk c && snapshotZxid.equals(c.snapshotZxid) && offset == c.offset
          && last == c.last && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(snapshotZxid, offset, last) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "SnapChunk[" + snapshotZxid + ", offset=" + offset + ", " + data.length + " bytes, last=" + last + "]";
    }
  }

  /** Leader → follower: the sync stream is complete; {@code lastZxid} is its final zxid (S7). */
  record NewLeader(long epoch, Zxid lastZxid) implements Message {
    /**
     * Checks the fields.
     *
     * @param epoch the new epoch
     * @param lastZxid the sync stream's final zxid
     */
    public NewLeader {
      Objects.requireNonNull(lastZxid, "lastZxid");
    }
  }

  /** Follower → leader: synced txns and currentEpoch are durable (the NEWLEADER ack, S7). */
  record AckNewLeader(long epoch) implements Message {}

  /** Leader → follower: a quorum is synced; txns up to {@code committed} are committed; serve clients. */
  record UpToDate(Zxid committed) implements Message {
    /**
     * Checks the fields.
     *
     * @param committed the leader's commit point
     */
    public UpToDate {
      Objects.requireNonNull(committed, "committed");
    }
  }

  /** Leader → follower: one or more txns with consecutive zxids, in order (S8). */
  record Proposal(List<Txn> txns) implements Message {
    /**
     * Checks the fields.
     *
     * @param txns at least one txn, consecutive zxids; copied
     */
    public Proposal {
      txns = List.copyOf(txns);
      if (txns.isEmpty()) {
        throw new IllegalArgumentException("empty proposal");
      }
    }
  }

  /** Follower → leader: every txn up to and including {@code zxid} is durable here (cumulative, S8). */
  record Ack(Zxid zxid) implements Message {
    /**
     * Checks the fields.
     *
     * @param zxid the highest durable zxid
     */
    public Ack {
      Objects.requireNonNull(zxid, "zxid");
    }
  }

  /** Leader → follower: every txn up to and including {@code zxid} is committed (cumulative, S8). */
  record Commit(Zxid zxid) implements Message {
    /**
     * Checks the fields.
     *
     * @param zxid the highest committed zxid
     */
    public Commit {
      Objects.requireNonNull(zxid, "zxid");
    }
  }

  /** Follower → leader: a client write submitted on the follower, to be proposed (S9). */
  record Request(long requestId, byte[] data) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the follower's id of the request
     * @param data the txn payload
     */
    public Request {
      Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Request r && requestId == r.requestId && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Request[" + requestId + ", " + data.length + " bytes]";
    }
  }

  /**
   * Leader → follower: the outcome of a forwarded {@link Request}: the zxid it was proposed under, or a
   * rejection ({@code zxid} is {@link Zxid#ZERO} and {@code error} says why).
   */
  record RequestReply(long requestId, Zxid zxid, RejectCode error) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the id of the forwarded request
     * @param zxid its zxid, or Zxid.ZERO with an error
     * @param error why it was refused, or NONE
     */
    public RequestReply {
      Objects.requireNonNull(zxid, "zxid");
      Objects.requireNonNull(error, "error");
    }
  }

  /** Why a request was refused. */
  enum RejectCode {
    /** Not a rejection (a successful {@link RequestReply}). */
    NONE,
    /** Reserved (code 1): never sent; every server takes requests, and one that cannot order them says NO_QUORUM. */
    NOT_LEADER,
    /** No leader with a quorum right now; retry after an election. The request was not proposed. */
    NO_QUORUM,
    /** Too many requests in flight; retry later. The request was not proposed. */
    OVERLOADED,
    /** The payload exceeds the configured maximum. The request was not proposed. */
    TOO_LARGE,
    /** The server is shutting down. The request was not proposed. */
    CLOSED,
    /** The leader was lost after the request was forwarded or proposed: it may or may not commit. */
    OUTCOME_UNKNOWN,
    /**
     * A reconfiguration named a configuration version that is not the current one (compare-and-set); the reply's
     * zxid carries the current version. Nothing was proposed.
     */
    STALE_CONFIGURATION,
    /** Another reconfiguration or a leadership transfer is under way; retry once it is done. Nothing was proposed. */
    CHANGE_IN_PROGRESS,
    /** A server to become a voter did not catch up with the leader within the bound. Nothing was proposed. */
    CATCH_UP_TIMEOUT,
    /** A leadership transfer did not happen: the target is not a voter, not reachable, or not up to date in time. */
    TRANSFER_FAILED
  }

  /**
   * Follower → leader: a reconfiguration submitted on the follower (issue 11), answered by a {@link RequestReply}
   * that follows the proposal of the change's final txn (its zxid then) or refuses it.
   *
   * @param requestId the follower's id for the request
   * @param catchUpTicks how long the leader may wait for new voters to catch up before giving up
   * @param target the configuration asked for; its version is the one it was derived from (compare-and-set)
   */
  record ConfigRequest(long requestId, long catchUpTicks, ClusterConfiguration target) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the follower's id for the request
     * @param catchUpTicks how long the leader may wait for new voters to catch up, not negative
     * @param target the configuration asked for
     */
    public ConfigRequest {
      Objects.requireNonNull(target, "target");
      if (catchUpTicks < 0) {
        throw new IllegalArgumentException("negative catchUpTicks " + catchUpTicks);
      }
    }
  }

  /**
   * Follower → leader: a leadership transfer submitted on the follower (issue 11). The leader answers only a refusal
   * ({@link RequestReply}); the follower sees success itself, when it follows {@code target}.
   *
   * @param requestId the follower's id for the request
   * @param target the voter to hand leadership over to
   * @param timeoutTicks how long the leader may wait for the target to catch up before giving up
   */
  record TransferRequest(long requestId, long target, long timeoutTicks) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the follower's id for the request
     * @param target the voter to hand leadership over to
     * @param timeoutTicks how long the leader may wait for the target to catch up, not negative
     */
    public TransferRequest {
      if (timeoutTicks < 0) {
        throw new IllegalArgumentException("negative timeoutTicks " + timeoutTicks);
      }
    }
  }

  /**
   * Leader → every member: this leader stops leading and hands over to {@code target}, which holds everything up to
   * {@code zxid} in {@code epoch}: in the election that follows, a vote for it wins over any other vote with the same
   * (epoch, zxid) (docs/protocol.md, leadership transfer).
   *
   * @param target the voter leadership is handed to
   * @param epoch the epoch of the leader that hands over
   * @param zxid the leader's last logged zxid, which {@code target} has acknowledged
   */
  record Handover(long target, long epoch, Zxid zxid) implements Message {
    /**
     * Checks the fields.
     *
     * @param target the voter leadership is handed to
     * @param epoch the epoch of the leader that hands over
     * @param zxid the leader's last logged zxid, which {@code target} has acknowledged
     */
    public Handover {
      Objects.requireNonNull(zxid, "zxid");
    }
  }

  /** Heartbeat, either way. The leader's carries its commit point; a follower's its last durable zxid. */
  record Ping(Zxid zxid) implements Message {
    /**
     * Checks the fields.
     *
     * @param zxid the leader's commit point or the follower's last durable zxid
     */
    public Ping {
      Objects.requireNonNull(zxid, "zxid");
    }
  }

  /**
   * Follower → leader: a read barrier request (node.sync()). Leader → follower: leadership round
   * {@code requestId} of the leader's read-barrier confirmation; a follower of that leader in its
   * established epoch echoes it with a {@link SyncReply}.
   */
  record SyncRequest(long requestId) implements Message {}

  /**
   * Leader → follower: the barrier: the leader's commit point when it received the {@link SyncRequest}, sent
   * once a quorum confirmed its leadership after that. Follower → leader: the echo of round
   * {@code requestId} ({@code committed} is the follower's commit point, for information).
   */
  record SyncReply(long requestId, Zxid committed) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the barrier's or the round's id
     * @param committed the sender's commit point
     */
    public SyncReply {
      Objects.requireNonNull(committed, "committed");
    }
  }
}
