package io.zab.protocol;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.FollowerProgress.Phase;
import io.zab.wire.Message;
import io.zab.wire.Message.Ack;
import io.zab.wire.Message.AckEpoch;
import io.zab.wire.Membership;
import io.zab.wire.Message.AckNewLeader;
import io.zab.wire.Message.ConfigRequest;
import io.zab.wire.Message.TransferRequest;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Message.Ping;
import io.zab.wire.Message.Request;
import io.zab.wire.Message.SyncReply;
import io.zab.wire.Message.SyncRequest;
import io.zab.wire.Message.UpToDate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LEADING: discovery (S6) and sync (S7) from the leader's side, liveness (S10), and the hand-over to the
 * {@link Broadcaster} once a quorum is synced (S8, S9).
 */
final class Leader implements RoleBehavior {
  private static final Logger LOG = LoggerFactory.getLogger(Leader.class);

  private final Replica r;
  private final Exit exit;
  private final QuorumTracker tracker;
  private final Replicator replicator;
  private final Broadcaster broadcaster;
  private final ReadBarriers barriers;
  private final Reconfigurer reconfigurer;
  private final LeadershipTransfer transfer;
  /** After a failed hand-over of a removed leader (R4), the tick before which it does not try again. */
  private long nextHandoverTry;
  /** The membership the tracker was last set up for. */
  private Membership trackedMembership;
  /** My (currentEpoch, lastZxid) when elected: a follower ahead of it makes me abandon (S6). */
  private final long electedEpoch;
  private final Zxid electedZxid;
  private long newEpoch = -1;
  private boolean epochQuorum;
  private Zxid syncTarget;
  private boolean selfSynced;
  private boolean established;
  private long ticks;

  Leader(Replica r, Exit exit) {
    this.r = r;
    this.exit = exit;
    this.electedEpoch = r.currentEpoch;
    this.electedZxid = r.log.last();
    this.tracker = new QuorumTracker(r.quorum(), r.self(), r.connected);
    this.replicator = new Replicator(r, tracker);
    this.broadcaster = new Broadcaster(r, exit, tracker, replicator);
    this.barriers = new ReadBarriers(r, tracker);
    this.reconfigurer = new Reconfigurer(r, tracker, broadcaster, replicator);
    this.transfer = new LeadershipTransfer(r, tracker, broadcaster, exit);
    this.trackedMembership = r.membership();
    broadcaster.onMembershipChange(this::membershipChanged);
  }

  /** A CONFIG txn was appended: it is in force at once, for every quorum question (docs/protocol.md, membership). */
  private void membershipChanged() {
    Membership before = trackedMembership;
    trackedMembership = r.membership();
    tracker.reconfigure(r.quorum(), r.connected);
    reconfigurer.onConfigAppended(before, trackedMembership);
  }

  /** Counts myself in discovery; a one-server ensemble is established right away. */
  void start() {
    maybeChooseEpoch();
  }

  @Override
  public Role role() {
    return Role.LEADING;
  }

  @Override
  public long leader() {
    return r.self();
  }

  @Override
  public long epoch() {
    return newEpoch >= 0 ? newEpoch : r.currentEpoch;
  }

  @Override
  public boolean established() {
    return established;
  }

  @Override
  public void onMessage(long from, Message m) {
    Progress h = tracker.get(from);
    if (h == null) {
      return; // not a member (nor a learner), or myself
    }
    if (m instanceof FollowerInfo fi) {
      if (!reconfigurer.removedRejoins(from)) {
        onFollowerInfo(h, fi);
      }
      return;
    }
    if (!h.joined()) {
      return; // not in discovery with me (yet)
    }
    h.lastHeard = ticks;
    if (m instanceof AckEpoch ae) {
      onAckEpoch(h, ae);
    } else if (m instanceof AckNewLeader anl) {
      onAckNewLeader(h, anl.epoch());
    } else if (m instanceof Ack a && h.receivesProposals()) {
      replicator.onAck(h, a.zxid()); // counts for commits only once it is SYNCED (QuorumTracker)
    } else if (m instanceof Request q && h.phase == Phase.SYNCED && established) {
      broadcaster.request(from, q);
    } else if (m instanceof SyncRequest sr && h.phase == Phase.SYNCED && established) {
      barriers.add(from, sr.requestId());
    } else if (m instanceof SyncReply echo && h.phase == Phase.SYNCED && established) {
      barriers.onEcho(h, echo.requestId());
    } else if (m instanceof ConfigRequest cr && h.phase == Phase.SYNCED && established) {
      reconfigurer.request(from, cr.requestId(), cr.target(), cr.catchUpTicks(), transfer.active());
    } else if (m instanceof TransferRequest tr && h.phase == Phase.SYNCED && established) {
      transfer.request(from, tr.requestId(), tr.target(), tr.timeoutTicks(), reconfigurer.busy());
    }
  }

  /**
   * S6: a follower joins; a repeated FollowerInfo after LeaderInfo means it restarted discovery. A voter
   * that accepted a newer epoch than mine (from a prospective leader that never got established) would
   * refuse my LeaderInfo forever, so I step down: the next election chooses an epoch above it.
   */
  private void onFollowerInfo(Progress h, FollowerInfo fi) {
    long from = h.sid;
    // A voter holding a txn of epoch E accepted E, whatever its epoch file says (issue 14: lost epoch files)
    long accepted = Math.max(fi.acceptedEpoch(), fi.lastZxid().epoch());
    if (newEpoch >= 0 && accepted > newEpoch) {
      r.epochSeen = Math.max(r.epochSeen, accepted);
      exit.backToLooking("follower " + from + " accepted epoch " + accepted + " > my epoch " + newEpoch
          + "; re-electing so that it can rejoin");
      return;
    }
    if (h.phase != Phase.INFO) {
      h.join(accepted, fi.lastZxid(), !fi.voting(), ticks);
    } else {
      h.abstaining = !fi.voting();
      h.acceptedEpoch = accepted;
      h.lastZxid = fi.lastZxid();
      h.lastHeard = ticks;
    }
    if (newEpoch >= 0) {
      r.send(from, new LeaderInfo(newEpoch));
    } else {
      maybeChooseEpoch();
    }
  }

  /**
   * S6: with FollowerInfo from a quorum (me included), the new epoch is one above every accepted epoch and above
   * the epoch of every logged zxid (mine included), so that my first zxid follows every log of the quorum.
   */
  private void maybeChooseEpoch() {
    if (newEpoch >= 0 || !tracker.hasQuorum(Progress::joined)) {
      return;
    }
    long max = Math.max(Math.max(r.acceptedEpoch, r.epochSeen), r.log.last().epoch());
    for (Progress h : tracker.all()) {
      if (h.joined()) {
        max = Math.max(max, h.acceptedEpoch);
      }
    }
    newEpoch = max + 1;
    r.emit(new SaveAcceptedEpoch(newEpoch));
    r.acceptedEpoch = newEpoch;
    LOG.info("server {} proposes epoch {} (last zxid {})", r.self(), newEpoch, r.log.last());
    tracker.all().stream().filter(Progress::joined).forEach(h -> r.send(h.sid, new LeaderInfo(newEpoch)));
    maybeEpochQuorum();
  }

  private void onAckEpoch(Progress h, AckEpoch ae) {
    if (h.phase != Phase.INFO || newEpoch < 0) {
      return;
    }
    boolean ahead = ae.currentEpoch() > electedEpoch
        || (ae.currentEpoch() == electedEpoch && ae.lastZxid().isAfter(electedZxid));
    // Only a voter ahead means this leader may lack a committed txn; a non-voter ahead holds only uncommitted ones
    // (every committed txn is on a voter quorum that this leader's discovery intersects) and is truncated.
    if (ahead && h.counts() && !established) {
      exit.backToLooking("follower " + h.sid + " is ahead (epoch " + ae.currentEpoch() + ", zxid "
          + ae.lastZxid() + ") of this leader (epoch " + electedEpoch + ", zxid " + electedZxid + ")");
      return;
    }
    h.phase = Phase.EPOCH_ACKED;
    h.lastZxid = ae.lastZxid();
    if (epochQuorum) {
      startSync(h);
    } else {
      maybeEpochQuorum();
    }
  }

  /**
   * Once a quorum accepted the epoch, this leader begins it and syncs every follower that acked. Only acks
   * of followers that accepted the epoch from this leader count (their FollowerInfo showed an older one):
   * a follower that already held this epoch may have accepted it from a rival prospective leader that chose
   * the same number, and counting it for both would give the epoch two leaders.
   */
  private void maybeEpochQuorum() {
    if (epochQuorum || !tracker.hasQuorum(h -> h.phase == Phase.EPOCH_ACKED && h.acceptedEpoch < newEpoch)) {
      return;
    }
    epochQuorum = true;
    syncTarget = r.log.last();
    selfSyncIfDurable();
    for (Progress h : tracker.all()) {
      if (h.phase == Phase.EPOCH_ACKED) {
        startSync(h);
      }
    }
    maybeEstablish();
  }

  private void startSync(Progress h) {
    SyncPlanner.Plan plan = SyncPlanner.sync(r, h.sid, h.lastZxid);
    LOG.info("server {} syncs follower {} by {} in epoch {}: follower at {}, leader at {}", r.self(), h.sid,
        plan.kind(), newEpoch, h.lastZxid, r.log.last());
    replicator.start(h, newEpoch, plan.from(), plan.kind() == SyncPlanner.Kind.SNAP);
  }

  /** The leader's own NEWLEADER ack: its whole log durable, then currentEpoch saved. */
  private void selfSyncIfDurable() {
    if (epochQuorum && !selfSynced && !r.durable.isBefore(syncTarget)) {
      r.emit(new SaveCurrentEpoch(newEpoch));
      r.currentEpoch = newEpoch;
      selfSynced = true;
    }
  }

  private void onAckNewLeader(Progress h, long epoch) {
    if (h.phase != Phase.SYNCING || epoch != newEpoch) {
      return;
    }
    h.phase = Phase.SYNCED;
    replicator.onAck(h, h.newLeaderZxid);
    if (established) {
      r.send(h.sid, new UpToDate(r.committed));
    } else {
      maybeEstablish();
    }
  }

  /** S7 end: a quorum holds my whole history durably, so all of it is committed; start serving. */
  private void maybeEstablish() {
    if (established || !selfSynced || !tracker.hasQuorum(Progress::synced)) {
      return;
    }
    established = true;
    r.commitTo(r.log.last());
    LOG.info("server {} LEADING epoch {}, committed {}", r.self(), newEpoch, r.committed);
    for (Progress h : tracker.all()) {
      if (h.synced()) {
        r.send(h.sid, new UpToDate(r.committed));
      }
    }
    r.emit(new RoleChanged(Role.LEADING, r.self(), newEpoch, r.log.last()));
    broadcaster.begin(newEpoch);
  }

  /** Read-only views of every member's progress. */
  List<FollowerProgress> followers() {
    return tracker.views(ticks);
  }

  @Override
  public void onTick() {
    ticks++;
    Timing t = r.timing();
    if (!established && ticks > t.initLimitTicks()) {
      exit.backToLooking("no quorum synced within initLimit in epoch " + newEpoch);
      return;
    }
    if (established && !tracker.hasQuorum(h -> h.synced() && ticks - h.lastHeard <= t.syncLimitTicks())) {
      exit.backToLooking("lost contact with a quorum within syncLimit in epoch " + newEpoch);
      return;
    }
    reconfigurer.onTick();
    transfer.onTick();
    if (ticks % t.pingIntervalTicks() == 0) {
      for (Progress h : tracker.all()) {
        if (h.joined() && h.phase != Phase.INFO) {
          r.send(h.sid, new Ping(r.committed));
        }
      }
      barriers.resendRound();
    }
  }

  @Override
  public void onPersisted() {
    if (!established) {
      selfSyncIfDurable();
      maybeEstablish();
    }
  }

  @Override
  public void onConnected(long peer) {
    Progress h = tracker.get(peer);
    if (h != null) {
      h.connected = true; // a follower that (re)connects starts with FollowerInfo
    }
  }

  @Override
  public void onDisconnected(long peer) {
    Progress h = tracker.get(peer);
    if (h != null) {
      h.connected = false;
      h.detach(); // it re-runs discovery when it comes back
    }
  }

  @Override
  public void onSubmit(Event.Submit s) {
    broadcaster.submit(s, established);
  }

  @Override
  public void onReadBarrier(long requestId) {
    if (established) {
      barriers.add(0, requestId);
    } else {
      r.emit(new Action.Reject(requestId, Message.RejectCode.NO_QUORUM, 0));
    }
  }

  @Override
  public void onReconfigure(Event.Reconfigure rc) {
    if (established) {
      reconfigurer.request(0, rc.requestId(), rc.target(), rc.catchUpTicks(), transfer.active());
    } else {
      r.emit(new Action.Reject(rc.requestId(), Message.RejectCode.NO_QUORUM, 0));
    }
  }

  @Override
  public void onTransferLeadership(Event.TransferLeadership t) {
    if (established) {
      transfer.request(0, t.requestId(), t.target(), t.timeoutTicks(), reconfigurer.busy());
    } else {
      r.emit(new Action.Reject(t.requestId(), Message.RejectCode.NO_QUORUM, 0));
    }
  }

  @Override
  public java.util.Collection<io.zab.Member> extraPeers() {
    return reconfigurer.outsidePeers();
  }

  @Override
  public void flush() {
    if (established) {
      broadcaster.flush();
      if (reconfigurer.flush()) {
        broadcaster.flush(); // the membership changed: the commit rule may have too
      }
      barriers.flush();
      handOverIfRemoved();
      if (transfer.flush(newEpoch)) {
        return; // handed over: this server left the role
      }
    }
    replicator.pumpAll(); // acks of this batch may have reopened windows
  }

  /**
   * R4: a leader that is no longer a voter (its removal committed) hands over to the most up-to-date voter; until
   * that succeeds it keeps leading without counting itself, and tries again after initLimit.
   */
  private void handOverIfRemoved() {
    if (r.selfVoter() || reconfigurer.busy() || transfer.active() || ticks < nextHandoverTry) {
      return;
    }
    Progress best = null;
    for (Progress p : tracker.all()) {
      if (p.counts() && p.synced() && (best == null || !p.acked.isBefore(best.acked))) {
        best = p;
      }
    }
    nextHandoverTry = ticks + r.timing().initLimitTicks();
    if (best != null) {
      LOG.info("server {} is no longer a voter of {}: handing over to {}", r.self(), r.membership().current(),
          best.sid);
      transfer.request(LeadershipTransfer.INTERNAL, 0, best.sid, r.timing().initLimitTicks(), false);
    }
  }

  @Override
  public void leave() {
    broadcaster.flushBatch();
    barriers.failAll();
    reconfigurer.leave();
    transfer.leave();
    r.requests.failAll(r::emit);
  }
}
