package io.zab.protocol;

import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Event.Submit;
import io.zab.wire.Message;
import io.zab.wire.Message.AckEpoch;
import io.zab.wire.Message.ConfigRequest;
import io.zab.wire.Message.Handover;
import io.zab.wire.Message.TransferRequest;
import io.zab.wire.Message.Commit;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Ping;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.Request;
import io.zab.wire.Message.RequestReply;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Message.SyncReply;
import io.zab.wire.Message.SyncRequest;
import io.zab.wire.Message.UpToDate;
import io.zab.wire.MessageCodec;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FOLLOWING (or OBSERVING, for a server that is not a voter): discovery (S6) from the follower's side, then
 * broadcast (S8) and forwarding (S9). The sync stream itself (S7) is handled by {@link FollowerSync}. An observer
 * does exactly what a follower does; the leader does not count its acks.
 */
final class Follower implements RoleBehavior {
  private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

  private enum Phase { DISCOVERY, SYNC, BROADCAST }

  private final Replica r;
  private final Exit exit;
  private final long leader;
  /** The leader's address as this server reached it when it chose to follow it (null if unknown). */
  private final Member leaderMember;
  private final FollowerSync sync;
  private Phase phase = Phase.DISCOVERY;
  private long newEpoch = -1;
  private int ticksInRole;
  private int ticksSinceLeader;
  private Zxid leaderCommitted = Zxid.ZERO;
  private Zxid lastAckSent = Zxid.ZERO;

  Follower(Replica r, Exit exit, long leader) {
    this.r = r;
    this.exit = exit;
    this.leader = leader;
    this.leaderMember = r.announcedMember(leader);
    this.sync = new FollowerSync(r, exit, leader);
    sendFollowerInfo();
  }

  /**
   * The leader stays reachable while this server follows it, also once its log holds a membership without it: a
   * removed leader hands over only after the change is committed, and it must be heard until then.
   */
  @Override
  public Collection<Member> extraPeers() {
    return leaderMember == null ? List.of() : List.of(leaderMember);
  }

  /** FOLLOWING if this server is a voter of its membership in force, else OBSERVING; it may change in the role. */
  @Override
  public Role role() {
    return r.selfVoter() ? Role.FOLLOWING : Role.OBSERVING;
  }

  @Override
  public long leader() {
    return leader;
  }

  @Override
  public long epoch() {
    return newEpoch >= 0 ? newEpoch : r.currentEpoch;
  }

  @Override
  public boolean established() {
    return phase == Phase.BROADCAST;
  }

  @Override
  public void onMessage(long from, Message m) {
    if (from != leader) {
      return; // only the leader talks to a follower outside elections
    }
    ticksSinceLeader = 0;
    if (m instanceof LeaderInfo li) {
      onLeaderInfo(li.newEpoch());
    } else if (m instanceof UpToDate u) {
      onUpToDate(u.committed());
    } else if (m instanceof Proposal p) {
      onProposal(p);
    } else if (m instanceof Commit c) {
      onCommitPoint(c.zxid());
    } else if (m instanceof Ping p) {
      onCommitPoint(p.zxid());
    } else if (m instanceof RequestReply rr) {
      onRequestReply(rr);
    } else if (m instanceof SyncRequest round) {
      if (phase == Phase.BROADCAST) {
        r.send(leader, new SyncReply(round.requestId(), r.committed)); // I still follow you in this epoch
      }
    } else if (m instanceof SyncReply sr) {
      if (r.requests.replied(sr.requestId())) {
        r.requests.awaitBarrier(sr.requestId(), sr.committed());
        r.requests.completeUpTo(r.committed, r::emit);
      }
    } else if (m instanceof Handover h && boundToLeader()) {
      exit.handover(new Vote(h.target(), h.zxid(), h.epoch()), "leader " + leader + " hands over to " + h.target());
    } else if (m instanceof NewLeader nl && phase == Phase.SYNC && nl.epoch() != newEpoch) {
      // A later leadership of the same server (its AckEpoch carries no epoch, so my ack of an older
      // LeaderInfo may have been counted): acking it would save a currentEpoch I never accepted.
      exit.refuseLeader(leader, "NEWLEADER for epoch " + nl.epoch() + " from leader " + leader
          + " but this follower accepted epoch " + newEpoch);
    } else if (phase == Phase.SYNC) {
      sync.onMessage(m);
    } else if (m instanceof SnapChunk c && phase == Phase.BROADCAST) {
      onCatchUpSnapshot(c);
    }
  }

  /**
   * Flow control let this follower fall behind the leader's in-memory log: the leader sends its snapshot and the
   * txns after it in the same epoch. The snapshot holds committed state beyond this log, so the requests waiting
   * for txns it covers complete.
   */
  private void onCatchUpSnapshot(SnapChunk c) {
    try {
      sync.onSnapChunk(c);
    } catch (InMemoryLog.LogGapException e) {
      exit.refuseLeader(leader, "snapshot from leader " + leader + " rejected: " + e.getMessage());
      return;
    }
    if (c.last()) {
      r.commitTo(leaderCommitted);
      r.requests.completeUpTo(r.committed, r::emit);
    }
  }

  /** Whether this follower accepted its leader's epoch: from then on the leader saying LOOKING means it left. */
  @Override
  public boolean boundToLeader() {
    return phase != Phase.DISCOVERY;
  }

  /** S6: refuse an older epoch; persist a newer one BEFORE acknowledging it. */
  private void onLeaderInfo(long epoch) {
    if (phase != Phase.DISCOVERY) {
      if (epoch > newEpoch) {
        // A later leadership of the same server (it looked again and won on this connection): its sync is for an
        // epoch this follower never accepted; leave and meet it again through discovery (seed 231762).
        exit.refuseLeader(leader, "leader " + leader + " offered epoch " + epoch + " but this follower accepted epoch "
            + newEpoch + " of its previous leadership");
      }
      return; // else a duplicate answer to a resent FollowerInfo
    }
    if (epoch < r.acceptedEpoch) {
      exit.refuseLeader(leader, "leader " + leader + " offered epoch " + epoch + " < accepted epoch " + r.acceptedEpoch);
      return;
    }
    if (epoch > r.acceptedEpoch) {
      r.emit(new SaveAcceptedEpoch(epoch));
      r.acceptedEpoch = epoch;
    }
    newEpoch = epoch;
    phase = Phase.SYNC;
    ticksInRole = 0;
    r.send(leader, new AckEpoch(r.currentEpoch, r.log.last()));
  }

  private void onProposal(Proposal p) {
    long epoch = p.txns().isEmpty() ? 0 : p.txns().get(p.txns().size() - 1).zxid().epoch();
    if (phase != Phase.DISCOVERY && epoch > newEpoch) {
      // S6: never log a txn of an epoch this follower did not accept (a later leadership of the same server sent
      // it); the election would then trust a log whose epoch no promise covers (found by the membership simulation)
      exit.refuseLeader(leader, "proposal of epoch " + epoch + " from leader " + leader
          + " but this follower accepted epoch " + newEpoch);
    } else if (phase == Phase.SYNC) {
      sync.onMessage(p);
    } else if (phase == Phase.BROADCAST) {
      try {
        r.append(p.txns());
      } catch (InMemoryLog.LogGapException e) {
        exit.refuseLeader(leader, "proposal from leader " + leader + " rejected: " + e.getMessage());
        return;
      }
      r.commitTo(leaderCommitted); // a follower behind (flow control) may get txns already committed
    }
  }

  private void onUpToDate(Zxid committed) {
    if (phase != Phase.SYNC || !sync.acked()) {
      exit.refuseLeader(leader, "UPTODATE from leader " + leader + " before this follower acknowledged NEWLEADER");
      return;
    }
    phase = Phase.BROADCAST;
    lastAckSent = Zxid.max(lastAckSent, sync.newLeaderZxid());
    LOG.info("server {} {} leader {} in epoch {}, last zxid {}", r.self(), role(), leader, newEpoch, r.log.last());
    r.emit(new RoleChanged(role(), leader, newEpoch, r.log.last()));
    onCommitPoint(Zxid.max(committed, leaderCommitted));
    for (Submit s : r.requests.releaseHeld()) {
      onSubmit(s);
    }
  }

  /** S8: deliver up to the leader's commit point, but only once synced and never beyond this log. */
  private void onCommitPoint(Zxid z) {
    leaderCommitted = Zxid.max(leaderCommitted, z);
    if (phase == Phase.BROADCAST) {
      r.commitTo(leaderCommitted);
    }
  }

  private void onRequestReply(RequestReply rr) {
    TransferWatch w = r.transferWatch;
    if (w != null && w.requestId() == rr.requestId()) { // the leader refused the transfer
      r.transferWatch = null;
      r.emit(new Action.Reject(rr.requestId(), rr.error(), leader));
      return;
    }
    if (!r.requests.replied(rr.requestId())) {
      return;
    }
    if (rr.error() == RejectCode.NONE) {
      r.requests.awaitCommit(rr.requestId(), rr.zxid());
      r.requests.completeUpTo(r.committed, r::emit);
    } else {
      r.emit(new Action.Reject(rr.requestId(), rr.error(), leader, rr.zxid())); // a version, for STALE_CONFIGURATION
    }
  }

  @Override
  public void onTick() {
    ticksInRole++;
    ticksSinceLeader++;
    Timing t = r.timing();
    if (phase != Phase.BROADCAST && ticksInRole > t.initLimitTicks()) {
      exit.backToLooking("discovery/sync with leader " + leader + " not done within initLimit");
      return;
    }
    if (phase == Phase.BROADCAST && ticksSinceLeader > t.syncLimitTicks()) {
      exit.backToLooking("nothing heard from leader " + leader + " within syncLimit");
      return;
    }
    if (ticksInRole % t.pingIntervalTicks() == 0) {
      if (phase == Phase.DISCOVERY) {
        sendFollowerInfo(); // the leader may not have been LEADING yet when the first one arrived
      } else {
        r.send(leader, new Ping(r.durable));
      }
    }
  }

  @Override
  public void onPersisted() {
    // acks and the NEWLEADER ack are emitted in flush(), once per batch
  }

  @Override
  public void flush() {
    if (phase == Phase.SYNC) {
      boolean ackedBefore = sync.acked();
      sync.ackNewLeaderIfDurable();
      if (!ackedBefore && sync.acked()) {
        lastAckSent = Zxid.max(lastAckSent, sync.newLeaderZxid()); // the NEWLEADER ack acknowledges that much
      }
      if (sync.started()) {
        ackDurable(); // the leader's flow control counts these; its commits only once this follower is synced
      }
    } else if (phase == Phase.BROADCAST) {
      ackDurable();
      maybeEndRepair();
    }
  }

  /**
   * A repairing server synced by this leader (elected without it: it voted for nobody) votes again once the sync
   * took it past what it may have lost ({@link RepairPoint#passedBy}). The marker is cleared first; then it rejoins
   * as a voter, so that this leader learns from its FollowerInfo that it counts again.
   */
  private void maybeEndRepair() {
    RepairPoint p = r.repairing;
    if (p == null || !p.passedBy(newEpoch, r.durable)) {
      return;
    }
    LOG.info("server {} repaired: leader {} synced it in epoch {} to {} (durable), past {}; it votes again", r.self(),
        leader, newEpoch, r.durable, p);
    r.repairing = null;
    r.emit(new Action.RepairDone(p));
    exit.backToLooking("repair done; rejoining as a voter");
  }

  /** One cumulative ack per batch, once the log is durable past the last one (S8). */
  private void ackDurable() {
    if (r.durable.isAfter(lastAckSent)) {
      lastAckSent = r.durable;
      r.send(leader, new Message.Ack(r.durable));
    }
  }

  @Override
  public void onConnected(long peer) {
    if (peer == leader && phase == Phase.DISCOVERY) {
      sendFollowerInfo();
    }
  }

  @Override
  public void onDisconnected(long peer) {
    if (peer == leader) {
      exit.backToLooking("connection to leader " + leader + " lost");
    }
  }

  @Override
  public void onSubmit(Submit s) {
    if (s.data().length > r.config.maxTxnBytes()) {
      r.emit(new Action.Reject(s.requestId(), RejectCode.TOO_LARGE, leader));
    } else if (phase != Phase.BROADCAST) {
      if (!r.requests.holding() || !r.requests.hold(s, r.config.maxOutstanding())) {
        r.emit(new Action.Reject(s.requestId(), RejectCode.NO_QUORUM, leader));
      }
    } else {
      long bytes = MessageCodec.REQUEST_OVERHEAD_BYTES + (long) s.data().length;
      if (!r.requests.mayForward(bytes, r.config.maxOutstanding(), r.config.maxInFlightBytes())) {
        r.emit(new Action.Reject(s.requestId(), RejectCode.OVERLOADED, leader)); // nothing was sent
        return;
      }
      r.requests.forwardedWrite(s.requestId(), bytes);
      r.send(leader, new Request(s.requestId(), s.data()));
    }
  }

  /** Forwarded to the leader like a write (S9); the reply names the change's final txn, or refuses it. */
  @Override
  public void onReconfigure(Event.Reconfigure rc) {
    if (phase != Phase.BROADCAST) {
      r.emit(new Action.Reject(rc.requestId(), RejectCode.NO_QUORUM, leader));
      return;
    }
    ConfigRequest request = new ConfigRequest(rc.requestId(), rc.catchUpTicks(), rc.target());
    long bytes = new MessageCodec(Integer.MAX_VALUE - MessageCodec.LENGTH_PREFIX_BYTES).encodedSize(request);
    if (!r.requests.mayForward(bytes, r.config.maxOutstanding(), r.config.maxInFlightBytes())) {
      r.emit(new Action.Reject(rc.requestId(), RejectCode.OVERLOADED, leader));
      return;
    }
    r.requests.forwardedWrite(rc.requestId(), bytes);
    r.send(leader, request);
  }

  /**
   * Forwarded to the leader; success is seen here (this server follows the target), a refusal comes back as a
   * RequestReply.
   */
  @Override
  public void onTransferLeadership(Event.TransferLeadership t) {
    if (phase != Phase.BROADCAST) {
      r.emit(new Action.Reject(t.requestId(), RejectCode.NO_QUORUM, leader));
      return;
    }
    if (t.target() == leader) {
      r.emit(new Action.Complete(t.requestId(), Zxid.ZERO)); // it leads already
      return;
    }
    r.transferWatch = new TransferWatch(t.requestId(), t.target(), leader, r.ticks + t.timeoutTicks());
    r.send(leader, new TransferRequest(t.requestId(), t.target(), t.timeoutTicks()));
  }

  @Override
  public void onReadBarrier(long requestId) {
    if (phase != Phase.BROADCAST) {
      r.emit(new Action.Reject(requestId, RejectCode.NO_QUORUM, leader));
      return;
    }
    r.requests.forwardedBarrier(requestId);
    r.send(leader, new SyncRequest(requestId));
  }

  @Override
  public void leave() {
    sync.abandon();
    r.requests.failAll(r::emit);
  }

  private void sendFollowerInfo() {
    r.send(leader, new FollowerInfo(r.acceptedEpoch, r.log.last(), r.repairing == null));
  }
}
