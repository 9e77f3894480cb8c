package io.zab.protocol;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.LearnerHandle.Phase;
import io.zab.wire.Message;
import io.zab.wire.Message.Ack;
import io.zab.wire.Message.AckEpoch;
import io.zab.wire.Message.AckNewLeader;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Ping;
import io.zab.wire.Message.Request;
import io.zab.wire.Message.SyncReply;
import io.zab.wire.Message.SyncRequest;
import io.zab.wire.Message.UpToDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
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
  private final Map<Long, LearnerHandle> learners = new TreeMap<>();
  private final Broadcaster broadcaster;
  private final ReadBarriers barriers;
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
    this.broadcaster = new Broadcaster(r, exit, learners.values());
    this.barriers = new ReadBarriers(r, learners.values());
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
    if (!r.quorum.isVoter(from) || from == r.self()) {
      return;
    }
    if (m instanceof FollowerInfo fi) {
      onFollowerInfo(from, fi);
      return;
    }
    LearnerHandle h = learners.get(from);
    if (h == null) {
      return; // not in discovery with me (yet)
    }
    h.lastHeard = ticks;
    if (m instanceof AckEpoch ae) {
      onAckEpoch(h, ae);
    } else if (m instanceof AckNewLeader anl) {
      onAckNewLeader(h, anl.epoch());
    } else if (m instanceof Ack a && h.phase == Phase.SYNCED) {
      h.acked = Zxid.max(h.acked, a.zxid());
    } else if (m instanceof Request q && h.phase == Phase.SYNCED && established) {
      broadcaster.request(from, q);
    } else if (m instanceof SyncRequest sr && h.phase == Phase.SYNCED && established) {
      barriers.add(from, sr.requestId());
    } else if (m instanceof SyncReply echo && h.phase == Phase.SYNCED && established) {
      barriers.onEcho(h, echo.requestId());
    }
  }

  /**
   * S6: a follower joins; a repeated FollowerInfo after LeaderInfo means it restarted discovery. A voter
   * that accepted a newer epoch than mine (from a prospective leader that never got established) would
   * refuse my LeaderInfo forever, so I step down: the next election chooses an epoch above it.
   */
  private void onFollowerInfo(long from, FollowerInfo fi) {
    // A voter holding a txn of epoch E accepted E, whatever its epoch file says (issue 14: lost epoch files)
    long accepted = Math.max(fi.acceptedEpoch(), fi.lastZxid().epoch());
    if (newEpoch >= 0 && accepted > newEpoch) {
      r.epochSeen = Math.max(r.epochSeen, accepted);
      exit.backToLooking("follower " + from + " accepted epoch " + accepted + " > my epoch " + newEpoch
          + "; re-electing so that it can rejoin");
      return;
    }
    LearnerHandle h = learners.get(from);
    if (h == null || h.phase != Phase.INFO) {
      h = new LearnerHandle(from, accepted, fi.lastZxid(), ticks);
      learners.put(from, h);
    } else {
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
    if (newEpoch >= 0 || !hasQuorum(h -> true)) {
      return;
    }
    long max = Math.max(Math.max(r.acceptedEpoch, r.epochSeen), r.log.last().epoch());
    for (LearnerHandle h : learners.values()) {
      max = Math.max(max, h.acceptedEpoch);
    }
    newEpoch = max + 1;
    r.emit(new SaveAcceptedEpoch(newEpoch));
    r.acceptedEpoch = newEpoch;
    LOG.info("server {} proposes epoch {} (last zxid {})", r.self(), newEpoch, r.log.last());
    learners.values().forEach(h -> r.send(h.sid, new LeaderInfo(newEpoch)));
    maybeEpochQuorum();
  }

  private void onAckEpoch(LearnerHandle h, AckEpoch ae) {
    if (h.phase != Phase.INFO || newEpoch < 0) {
      return;
    }
    boolean ahead = ae.currentEpoch() > electedEpoch
        || (ae.currentEpoch() == electedEpoch && ae.lastZxid().isAfter(electedZxid));
    if (ahead && !established) {
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
    if (epochQuorum || !hasQuorum(h -> h.phase == Phase.EPOCH_ACKED && h.acceptedEpoch < newEpoch)) {
      return;
    }
    epochQuorum = true;
    syncTarget = r.log.last();
    selfSyncIfDurable();
    for (LearnerHandle h : learners.values()) {
      if (h.phase == Phase.EPOCH_ACKED) {
        startSync(h);
      }
    }
    maybeEstablish();
  }

  private void startSync(LearnerHandle h) {
    SyncPlanner.Kind kind = SyncPlanner.sync(r, h.sid, h.lastZxid);
    LOG.debug("server {} syncs follower {} by {} from {} to {}", r.self(), h.sid, kind, h.lastZxid, r.log.last());
    h.newLeaderZxid = r.log.last();
    r.send(h.sid, new NewLeader(newEpoch, h.newLeaderZxid));
    h.phase = Phase.SYNCING;
  }

  /** The leader's own NEWLEADER ack: its whole log durable, then currentEpoch saved. */
  private void selfSyncIfDurable() {
    if (epochQuorum && !selfSynced && !r.durable.isBefore(syncTarget)) {
      r.emit(new SaveCurrentEpoch(newEpoch));
      r.currentEpoch = newEpoch;
      selfSynced = true;
    }
  }

  private void onAckNewLeader(LearnerHandle h, long epoch) {
    if (h.phase != Phase.SYNCING || epoch != newEpoch) {
      return;
    }
    h.phase = Phase.SYNCED;
    h.acked = Zxid.max(h.acked, h.newLeaderZxid);
    if (established) {
      r.send(h.sid, new UpToDate(r.committed));
    } else {
      maybeEstablish();
    }
  }

  /** S7 end: a quorum holds my whole history durably, so all of it is committed; start serving. */
  private void maybeEstablish() {
    if (established || !selfSynced || !hasQuorum(h -> h.phase == Phase.SYNCED)) {
      return;
    }
    established = true;
    r.commitTo(r.log.last());
    LOG.info("server {} LEADING epoch {}, committed {}", r.self(), newEpoch, r.committed);
    for (LearnerHandle h : learners.values()) {
      if (h.phase == Phase.SYNCED) {
        r.send(h.sid, new UpToDate(r.committed));
      }
    }
    r.emit(new RoleChanged(Role.LEADING, r.self(), newEpoch, r.log.last()));
    broadcaster.begin(newEpoch);
  }

  private boolean hasQuorum(Predicate<LearnerHandle> counted) {
    List<Long> sids = new ArrayList<>();
    sids.add(r.self());
    learners.values().stream().filter(counted).forEach(h -> sids.add(h.sid));
    return r.quorum.isQuorum(sids);
  }

  @Override
  public void onTick() {
    ticks++;
    Timing t = r.timing();
    if (!established && ticks > t.initLimitTicks()) {
      exit.backToLooking("no quorum synced within initLimit in epoch " + newEpoch);
      return;
    }
    if (established && !hasQuorum(h -> h.phase == Phase.SYNCED && ticks - h.lastHeard <= t.syncLimitTicks())) {
      exit.backToLooking("lost contact with a quorum within syncLimit in epoch " + newEpoch);
      return;
    }
    if (ticks % t.pingIntervalTicks() == 0) {
      for (LearnerHandle h : learners.values()) {
        if (h.phase != Phase.INFO) {
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
    // a follower that (re)connects starts with FollowerInfo
  }

  @Override
  public void onDisconnected(long peer) {
    learners.remove(peer); // it re-runs discovery when it comes back
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
  public void flush() {
    if (established) {
      broadcaster.flush();
      barriers.flush();
    }
  }

  @Override
  public void leave() {
    broadcaster.flushBatch();
    barriers.failAll();
    r.requests.failAll(r::emit);
  }
}
