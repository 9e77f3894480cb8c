package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.wire.Message;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Objects;

/**
 * What the pure core asks its environment to do. The runtime (or the simulator) carries out the actions
 * returned by one {@link Peer#handle(Event)} call <b>in list order</b>. Contract per action:
 * <ul>
 *   <li>{@link Append} and {@link Truncate} go to the log in order; appends become durable asynchronously and
 *       the runtime reports that with {@link Event.Persisted}. A truncate takes effect before any later append.</li>
 *   <li>{@link SaveAcceptedEpoch}, {@link SaveCurrentEpoch} and {@link InstallSnapshot} are durable (fsynced)
 *       before the next action in the list is carried out.</li>
 *   <li>{@link Send} is FIFO per destination; a message to a disconnected peer is dropped.</li>
 *   <li>{@link Deliver} hands committed txns to the application state machine in order.</li>
 * </ul>
 */
public sealed interface Action {

  /** Send {@code message} to server {@code to}. */
  record Send(long to, Message message) implements Action {
    public Send {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Append txns (consecutive zxids, continuing the log) to the log; fsync later, report {@link Event.Persisted}. */
  record Append(List<Txn> txns) implements Action {
    public Append {
      txns = List.copyOf(txns);
    }
  }

  /** Drop every logged txn whose zxid is greater than {@code after} (S7 TRUNC). */
  record Truncate(Zxid after) implements Action {
    public Truncate {
      Objects.requireNonNull(after, "after");
    }
  }

  /** Durably record acceptedEpoch (before ACKEPOCH is sent, S6). */
  record SaveAcceptedEpoch(long epoch) implements Action {}

  /**
   * The repair of a damaged log is over (a leader elected by the others synced this server past {@code point}): clear
   * the durable repairing marker before the next action, since the next ones may be this server's votes.
   */
  record RepairDone(RepairPoint point) implements Action {}

  /** Durably record currentEpoch (after synced txns are durable, before NEWLEADER is acked, S7). */
  record SaveCurrentEpoch(long epoch) implements Action {}

  /** Committed txns, in zxid order, for the application state machine. */
  record Deliver(List<Txn> txns) implements Action {
    public Deliver {
      txns = List.copyOf(txns);
    }
  }

  /**
   * Leader: stream the stored snapshot taken at {@code snapshotZxid} to {@code to} as {@link SnapChunk}
   * messages, before any later action's messages to that peer (S7 SNAP).
   */
  record SendSnapshot(long to, Zxid snapshotZxid) implements Action {
    public SendSnapshot {
      Objects.requireNonNull(snapshotZxid, "snapshotZxid");
    }
  }

  /**
   * Follower: store one received snapshot chunk. On the last chunk the runtime makes the snapshot durable,
   * restores the state machine from it and resets the log to start after its zxid, all before the next action.
   */
  record InstallSnapshot(SnapChunk chunk) implements Action {
    public InstallSnapshot {
      Objects.requireNonNull(chunk, "chunk");
    }
  }

  /** Follower: a snapshot transfer was interrupted; discard its partial chunks (ZOOKEEPER-3642). */
  record DiscardSnapshot() implements Action {}

  /**
   * The request {@code requestId} (a submit or a read barrier) succeeded at {@code zxid}: complete it once
   * this server's state machine has applied every txn up to {@code zxid}. For a write, it comes before the
   * {@link Deliver} of its txn (earlier in the same list, or in an earlier one), so the runtime can hand the
   * result of that apply to the request; only a txn this server gets inside an installed snapshot (never
   * applying it itself) is completed after the fact.
   */
  record Complete(long requestId, Zxid zxid) implements Action {
    public Complete {
      Objects.requireNonNull(zxid, "zxid");
    }
  }

  /**
   * The request {@code requestId} failed; {@code leader} is the known leader's id or 0; {@code detail} is, for
   * {@link RejectCode#STALE_CONFIGURATION}, the current configuration's version, for
   * {@link RejectCode#TRANSFER_FAILED} {@link #MOVED} when leadership moved to another server than the target
   * ({@code leader}) rather than staying; else {@link Zxid#ZERO}.
   */
  record Reject(long requestId, RejectCode code, long leader, Zxid detail) implements Action {
    /** The detail of a failed transfer after which another server than the target leads. */
    public static final Zxid MOVED = new Zxid(1);

    public Reject {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(detail, "detail");
    }

    public Reject(long requestId, RejectCode code, long leader) {
      this(requestId, code, leader, Zxid.ZERO);
    }
  }

  /**
   * The servers this one must be able to reach changed (docs/protocol.md, membership): every member of the
   * membership in force, and, on a leader, the servers it is adding (learners) or still streaming to after
   * removing them. This server is among them. The runtime hands the list to its transport, which connects to new
   * members, closes connections to those no longer listed, and refuses them from then on.
   */
  record UpdateMembers(List<Member> members) implements Action {
    public UpdateMembers {
      members = List.copyOf(members);
    }
  }

  /**
   * The newest configuration at or below this server's commit point changed: what {@code ZabNode.configuration()}
   * returns and listeners hear. Emitted before the completions of the requests the same commit satisfies.
   */
  record ConfigurationCommitted(ClusterConfiguration configuration) implements Action {
    public ConfigurationCommitted {
      Objects.requireNonNull(configuration, "configuration");
    }
  }

  /**
   * This server's role changed, or an election concluded (S1). For logging and listeners.
   *
   * @param leader the leader's id, 0 while LOOKING
   */
  record RoleChanged(Role role, long leader, long epoch, Zxid lastZxid) implements Action {
    public RoleChanged {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(lastZxid, "lastZxid");
    }
  }

  /**
   * An election ended: this server's role is established again (a leader with a synced quorum, or a follower
   * synced with its leader). Emitted once per election, after the {@link RoleChanged} naming the role; for the
   * election summary line and metrics. An election runs from this server's start, or from the loss of its last
   * established role, to here, across every attempt that failed on the way (a leader that was not established
   * within initLimit, a sync that broke off).
   *
   * @param role LEADING or FOLLOWING
   * @param leader the winner
   * @param epoch the established epoch
   * @param ticks ticks this server spent without an established role
   * @param attempts how many times its election decided (1 unless an elected leader failed to establish)
   * @param votesFrom the servers whose votes it saw in the deciding round (itself included), ascending
   */
  record ElectionConcluded(Role role, long leader, long epoch, long ticks, int attempts, List<Long> votesFrom)
      implements Action {
    public ElectionConcluded {
      Objects.requireNonNull(role, "role");
      votesFrom = List.copyOf(votesFrom);
    }
  }
}
