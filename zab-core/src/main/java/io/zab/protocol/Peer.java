package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.ElectionConcluded;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Event.Persisted;
import io.zab.protocol.Event.PeerConnected;
import io.zab.protocol.Event.PeerDisconnected;
import io.zab.protocol.Event.ReadBarrier;
import io.zab.protocol.Event.Received;
import io.zab.protocol.Event.SnapshotTaken;
import io.zab.protocol.Event.Start;
import io.zab.protocol.Event.Submit;
import io.zab.protocol.Event.Tick;
import io.zab.wire.Membership;
import io.zab.wire.Message.Ack;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.Notification;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.Request;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure ZAB state machine of one server: events in, actions out (see {@link Action} for the contract
 * of carrying them out). No threads, clocks, sockets or files; the same inputs give the same outputs.
 * Not thread-safe: one thread (the runtime's protocol thread, or the simulator) drives it.
 *
 * <p>The peer only dispatches: elections to {@link FastLeaderElection}, the FOLLOWING role to
 * {@link Follower}, the LEADING role to {@link Leader}.
 */
public final class Peer implements RoleBehavior.Exit {
  private static final Logger LOG = LoggerFactory.getLogger(Peer.class);

  private final Replica r;
  private final FastLeaderElection election;
  private RoleBehavior current;
  private boolean started;
  /** Whether this server was a member of the membership in force at some point of its current role. */
  private boolean memberInRole;
  /** The tick count when this server last started looking without an established role, or -1 while it has one. */
  private long lookingSince = -1;
  /** Decisions of the election in progress (elected leaders that may still fail to establish). */
  private int attempts;

  public Peer(PeerConfig config, PersistentState state) {
    this(config, state, 1);
  }

  /** Test seam: every epoch starts at counter {@code firstCounter} instead of 1 (counter exhaustion tests). */
  Peer(PeerConfig config, PersistentState state, long firstCounter) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(state, "state");
    this.r = new Replica(config, state, firstCounter);
    this.election = new FastLeaderElection(r);
  }

  /** Handles one event and returns the actions to carry out, in order. */
  public List<Action> handle(Event event) {
    return handleAll(List.of(event));
  }

  /**
   * Handles events in order, as if one by one, but coalesces: the submits of a run become one Append and
   * one Proposal per follower; several Persisted become one Ack (or one commit evaluation on the leader). A run
   * may interleave submits with acks and Persisted (clients and followers keep both coming while the leader is
   * busy): they are coalesced together, so that one batch makes one proposal and one commit evaluation rather than
   * one per alternation. Only another kind of event flushes what came before it.
   */
  public List<Action> handleAll(List<Event> batch) {
    boolean first = true;
    boolean previousCoalesces = false;
    for (Event e : batch) {
      boolean coalesces = coalesces(e);
      if (!first && !(coalesces && previousCoalesces)) {
        flush();
      }
      dispatch(e);
      concludeElection(); // here too: a later event of the batch may end the role this one established
      first = false;
      previousCoalesces = coalesces;
    }
    flush();
    afterBatch();
    concludeElection(); // the last flush may start a role established at once (a lone voter past counter exhaustion)
    return r.drain();
  }

  /**
   * What a batch may have changed without any one handler knowing: the membership (the runtime's transport and the
   * committed configuration), and whether this server votes, which turns a follower into an observer or back.
   */
  private void afterBatch() {
    if (!started) {
      return;
    }
    watchTransfer();
    if (current != null && current.established()) {
      r.learned.clear(); // synced with a leader: the log says who the members are
    }
    r.announceMembership(current == null ? List.of() : current.extraPeers());
    if (current instanceof Follower && current.established()) {
      if (r.membership().isMember(r.self())) {
        memberInRole = true;
      } else if (memberInRole && !r.committedConfiguration().isMember(r.self())) {
        // a member of this leadership that a committed change removed takes no part any more (the leader stops
        // streaming to it too); a server being added (a learner) was never a member of it and stays
        backToLooking("removed from " + r.committedConfiguration());
        return;
      }
    }
    if (current != null && current.established() && r.announcedRole != current.role()) {
      LOG.info("server {} is now {} (leader {}, epoch {}): {}", r.self(), current.role(), current.leader(),
          current.epoch(), r.membership());
      r.emit(new RoleChanged(current.role(), current.leader(), current.epoch(), r.log.last()));
    }
  }

  /** Submits, forwarded requests, acks and Persisted: the events a batch coalesces (see {@link #handleAll}). */
  private static boolean coalesces(Event e) {
    return e instanceof Submit || e instanceof Persisted
        || (e instanceof Received rc && (rc.message() instanceof Request || rc.message() instanceof Ack));
  }

  private void flush() {
    if (current != null) {
      current.flush();
    }
  }

  private void dispatch(Event e) {
    if (e instanceof Start) {
      if (!started) {
        started = true;
        lookForLeader();
      }
    } else if (e instanceof Persisted p) {
      r.persisted(p.zxid());
      if (current != null) {
        current.onPersisted();
      }
    } else if (e instanceof SnapshotTaken s) {
      r.snapshotTaken(s.zxid());
    } else if (!started) {
      if (e instanceof Submit s) {
        r.emit(new Reject(s.requestId(), RejectCode.NO_QUORUM, 0));
      } else if (e instanceof ReadBarrier b) {
        r.emit(new Reject(b.requestId(), RejectCode.NO_QUORUM, 0));
      } else if (e instanceof Event.Reconfigure rc) {
        r.emit(new Reject(rc.requestId(), RejectCode.NO_QUORUM, 0));
      } else if (e instanceof Event.TransferLeadership t) {
        r.emit(new Reject(t.requestId(), RejectCode.NO_QUORUM, 0));
      }
    } else if (e instanceof Tick) {
      r.ticks++;
      if (current == null) {
        refuseHeldWritesIfLookingTooLong();
        become(election.onTick());
      } else {
        current.onTick();
      }
    } else if (e instanceof Received rc) {
      onReceived(rc);
    } else if (e instanceof PeerConnected pc) {
      r.connected.add(pc.peer());
      election.onConnected(pc.peer());
      if (current != null) {
        current.onConnected(pc.peer());
      }
    } else if (e instanceof PeerDisconnected pd) {
      r.connected.remove(pd.peer());
      if (current != null) {
        current.onDisconnected(pd.peer());
      }
    } else if (e instanceof Submit s) {
      onSubmit(s);
    } else if (e instanceof ReadBarrier b) {
      if (current == null) {
        r.emit(new Reject(b.requestId(), RejectCode.NO_QUORUM, 0));
      } else {
        current.onReadBarrier(b.requestId());
      }
    } else if (e instanceof Event.Reconfigure rc) {
      if (current == null) {
        r.emit(new Reject(rc.requestId(), RejectCode.NO_QUORUM, 0));
      } else {
        current.onReconfigure(rc);
      }
    } else if (e instanceof Event.TransferLeadership t) {
      if (current == null) {
        r.emit(new Reject(t.requestId(), RejectCode.NO_QUORUM, 0));
      } else if (r.transferWatch != null) {
        r.emit(new Reject(t.requestId(), RejectCode.CHANGE_IN_PROGRESS, current.leader()));
      } else {
        current.onTransferLeadership(t);
      }
    }
  }

  private void onReceived(Received rc) {
    if (rc.message() instanceof Notification n) {
      if (current instanceof Follower && rc.from() == current.leader()
          && leaderIsNotLeadingForMe(n)) {
        backToLooking("leader " + rc.from() + " says " + n.state() + " for " + n.leader() + " in round "
            + n.round());
      }
      become(election.onNotification(rc.from(), n, role()));
    } else if (rc.message() instanceof FollowerInfo && role() != Role.LEADING) {
      // A join I cannot serve is answered, so the joiner need not wait for initLimit (issue 10 item 7).
      election.answer(rc.from(), role());
    } else if (current != null) {
      current.onMessage(rc.from(), rc.message());
    }
  }

  /**
   * Whether my leader's own notification shows it will not lead me in the leadership I joined. Past discovery
   * (FIFO after its LeaderInfo) anything but LEADING means that leadership ended. While I am still joining it may
   * be finishing its election: only LOOKING for itself in the round I decided in lets me wait; it voting for
   * another, following another, or starting a new round (where my decision does not count) sends me back to the
   * election at once instead of after initLimit.
   */
  private boolean leaderIsNotLeadingForMe(Notification n) {
    long leader = current.leader();
    if (current.boundToLeader()) {
      return n.state() != Role.LEADING;
    }
    if (!r.selfVoter()) {
      return n.state() != Role.LEADING || n.leader() != leader; // it joined on the leader's own word, not a round
    }
    if (n.state() == Role.LEADING) {
      return n.leader() != leader;
    }
    return n.state() == Role.FOLLOWING || n.leader() != leader || n.round() != election.round();
  }

  private void onSubmit(Submit s) {
    if (current != null) {
      current.onSubmit(s);
    } else if (!r.requests.holding() || !r.requests.hold(s, r.config.maxOutstanding())) {
      r.emit(new Reject(s.requestId(), RejectCode.NO_QUORUM, 0));
    }
  }

  private void lookForLeader() {
    if (lookingSince < 0) {
      lookingSince = r.ticks;
      attempts = 0;
    }
    become(election.start());
  }

  /** Once the role the election chose is established, the election is over: one summary for it. */
  private void concludeElection() {
    if (lookingSince >= 0 && current != null && current.established()) {
      r.emit(new ElectionConcluded(current.role(), current.leader(), current.epoch(), r.ticks - lookingSince, attempts,
          election.votesSeen()));
      lookingSince = -1;
    }
  }

  private void become(FastLeaderElection.Decision d) {
    if (d == null) {
      return;
    }
    memberInRole = false;
    attempts++;
    if (d.role() == Role.LEADING) {
      Leader leader = new Leader(r, this);
      current = leader;
      leader.start();
    } else {
      current = new Follower(r, this, d.vote().leader());
    }
  }

  /**
   * A leadership transfer asked here is answered once this server is established again: under the target (done),
   * under another leader than the one asked (the election went elsewhere), or when its bound passed.
   */
  private void watchTransfer() {
    TransferWatch w = r.transferWatch;
    if (w == null) {
      return;
    }
    boolean established = current != null && current.established();
    long leader = established ? current.leader() : 0;
    if (leader == w.target()) {
      r.transferWatch = null;
      r.emit(new Action.Complete(w.requestId(), Zxid.ZERO));
    } else if ((established && leader != w.from()) || r.ticks > w.deadline()) {
      r.transferWatch = null;
      boolean moved = leader != 0 && leader != w.from();
      LOG.info("server {}: leadership transfer to {} failed: {}", r.self(), w.target(), moved ? "server " + leader
          + " leads now" : "not done within the bound");
      r.emit(new Reject(w.requestId(), RejectCode.TRANSFER_FAILED, leader, moved ? Action.Reject.MOVED : Zxid.ZERO));
    }
  }

  @Override
  public void handover(Vote targetVote, String reason) {
    election.prefer(targetVote, r.timing().initLimitTicks());
    backToLooking(reason);
  }

  @Override
  public void refuseLeader(long leader, String reason) {
    election.avoid(leader, r.timing().initLimitTicks());
    backToLooking(reason);
  }

  @Override
  public void backToLooking(String reason) {
    RoleBehavior old = current;
    if (old == null) {
      return;
    }
    LOG.info("server {} leaves {} (leader {}, epoch {}): {}", r.self(), old.role(), old.leader(), old.epoch(), reason);
    current = null;
    old.leave();
    if (!r.membership().isMember(r.self())) {
      refuseHeldWrites(); // a server that is not a member never follows a leader again
    }
    r.emit(new RoleChanged(Role.LOOKING, 0, r.currentEpoch, r.log.last()));
    lookForLeader();
  }

  /**
   * Writes held for the next leader (a leadership transfer, counter exhaustion) wait at most twice initLimit of
   * looking: a server that finds no leader in that time (cut off, or unable to reach the leader) answers them rather
   * than leaving its clients without an answer (found by the randomized membership simulation).
   */
  private void refuseHeldWritesIfLookingTooLong() {
    if (lookingSince >= 0 && r.requests.heldCount() > 0 && r.ticks - lookingSince > 2L * r.timing().initLimitTicks()) {
      LOG.info("server {} found no leader within {} ticks: refusing the {} writes it held for the next one", r.self(),
          r.ticks - lookingSince, r.requests.heldCount());
      refuseHeldWrites();
    }
  }

  /** Held writes were never proposed: refused, not applied (the client may retry elsewhere). */
  private void refuseHeldWrites() {
    for (Submit s : r.requests.releaseHeld()) {
      r.emit(new Reject(s.requestId(), RejectCode.NO_QUORUM, 0));
    }
  }

  /** This server's role (S1). */
  public Role role() {
    return current == null ? Role.LOOKING : current.role();
  }

  /** The leader this server follows or is, 0 while LOOKING. */
  public long leader() {
    return current == null ? 0 : current.leader();
  }

  public long acceptedEpoch() {
    return r.acceptedEpoch;
  }

  public long currentEpoch() {
    return r.currentEpoch;
  }

  /** The last zxid in this server's log (durable or not). */
  public Zxid lastZxid() {
    return r.log.last();
  }

  /**
   * How many txns this server holds in memory after {@code z}: a follower's lag behind it when {@code z} is what
   * the follower acknowledged. A follower behind the start of that log (it needs a snapshot) lags by at least this.
   */
  public long txnsAfter(Zxid z) {
    return r.log.countAfter(z);
  }

  /** The payload bytes of the txns {@link #txnsAfter} counts. */
  public long bytesAfter(Zxid z) {
    return r.log.bytesAfter(z);
  }

  /** How many txns this server holds in memory (every txn after its newest snapshot, plus some before it). */
  public int heldTxns() {
    return r.log.size();
  }

  /** The payload bytes of the txns {@link #heldTxns} counts. */
  public long heldBytes() {
    return r.log.bytes();
  }

  /** Every txn up to this zxid is known committed here (and delivered). */
  public Zxid committedZxid() {
    return r.committed;
  }

  /** The vote this server currently holds (its own while the election runs, the winner's afterwards). */
  public Vote currentVote() {
    return election.vote();
  }

  /**
   * What this server, while leading, knows of every other member (phase, acknowledged zxid, last heard); empty
   * when it is not leading. A snapshot: later events do not change it.
   */
  public List<FollowerProgress> followers() {
    return current instanceof Leader l ? l.followers() : List.of();
  }

  /**
   * The membership in force on this server: that of the last CONFIG txn in its log, committed or not (or of its
   * snapshot, or the configured one). Every quorum question this server asks uses it.
   */
  public Membership membership() {
    return r.membership();
  }

  /**
   * The newest configuration at or below this server's commit point; after a restart, until it learns what is
   * committed, the newest stable one of its log.
   */
  public ClusterConfiguration configuration() {
    return r.reportedConfiguration();
  }

  /**
   * What this server repairs (docs/protocol.md, repair): while set it votes in no election and counts in no quorum;
   * null when healthy.
   */
  public RepairPoint repairing() {
    return r.repairing;
  }

  /** Whether this server's role is established (serving clients): a leader with a synced quorum, or a synced follower. */
  public boolean established() {
    return current != null && current.established();
  }
}
