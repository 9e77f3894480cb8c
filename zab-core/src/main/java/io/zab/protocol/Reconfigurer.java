package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Zxid;
import io.zab.protocol.Action.Reject;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.RequestReply;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The established leader's configuration changes (docs/protocol.md, membership, rules R1-R3): one at a time, by
 * compare-and-set on the version; new voters first catch up as learners (tracked, streamed to, never counted); a
 * change of the voter set is {@code JOINT(C, C')} then, once that is committed, {@code STABLE(C')}; a change that
 * keeps the voters is one {@code STABLE} txn. A request completes when its {@code STABLE} txn commits. Removed
 * members are streamed to until they hold the change (or disconnect), so that they learn they were removed.
 */
final class Reconfigurer {
  private static final Logger LOG = LoggerFactory.getLogger(Reconfigurer.class);

  /** A request: from follower {@code follower} (0: this server's client). */
  private record Request(long follower, long requestId, ClusterConfiguration target) {}

  private final Replica r;
  private final QuorumTracker tracker;
  private final Broadcaster broadcaster;
  private final Replicator replicator;
  /** A change waiting for its new voters to catch up (nothing proposed yet), or null. */
  private Request catchingUp;
  private Set<Long> newVoters = Set.of();
  private long deadline;
  /** A change whose JOINT txn is proposed and whose STABLE txn is not yet, or null. */
  private Request awaitingStable;
  /** The JOINT txn a STABLE txn was proposed for, so that it is proposed once. */
  private Zxid stableProposedFor;
  /** Servers tracked outside the configuration, with their addresses: learners, and removed members. */
  private final Map<Long, Member> outside = new TreeMap<>();
  private final Set<Long> learners = new TreeSet<>();
  /** When each removed member was known to hold the committed change (the commit reaches it within a ping). */
  private final Map<Long, Long> toldAt = new TreeMap<>();

  Reconfigurer(Replica r, QuorumTracker tracker, Broadcaster broadcaster, Replicator replicator) {
    this.r = r;
    this.tracker = tracker;
    this.broadcaster = broadcaster;
    this.replicator = replicator;
  }

  /**
   * Whether a configuration change is under way: a request catching up, a CONFIG txn not yet committed, or a joint
   * membership (its STABLE txn is still to come).
   */
  boolean busy() {
    Zxid last = r.memberships.lastChange();
    return catchingUp != null || awaitingStable != null || r.membership().joint()
        || (last != null && last.isAfter(r.committed));
  }

  /** Servers this leader must reach beyond the membership in force (learners, removed members). */
  Collection<Member> outsidePeers() {
    return outside.values();
  }

  /** A reconfiguration request; {@code follower} is 0 for this server's own client. */
  void request(long follower, long requestId, ClusterConfiguration target, long catchUpTicks,
      boolean otherChangeUnderWay) {
    Request q = new Request(follower, requestId, target);
    ClusterConfiguration current = r.membership().current();
    if (otherChangeUnderWay || busy()) {
      refuse(q, RejectCode.CHANGE_IN_PROGRESS, Zxid.ZERO);
      return;
    }
    if (target.version() != current.version()) {
      refuse(q, RejectCode.STALE_CONFIGURATION, new Zxid(current.version()));
      return;
    }
    if (!broadcaster.canPropose()) {
      refuse(q, RejectCode.NO_QUORUM, Zxid.ZERO);
      return;
    }
    if (MembershipCodec.encode(Membership.joint(current, target)).length > r.config.maxTxnBytes()) {
      refuse(q, RejectCode.TOO_LARGE, Zxid.ZERO);
      return;
    }
    if (target.sameMembers(current)) {
      answer(q, new Zxid(current.version())); // nothing to change: the current configuration is the answer
      return;
    }
    Set<Long> added = new TreeSet<>(target.voterIds());
    added.removeAll(current.voterIds());
    for (long sid : added) {
      if (tracker.get(sid) == null || outside.containsKey(sid)) {
        tracker.track(sid, r.connected);
        learners.add(sid);
        outside.put(sid, target.member(sid).orElseThrow());
      }
    }
    catchingUp = q;
    newVoters = added;
    deadline = r.ticks + catchUpTicks;
    LOG.info("server {} changes {} to voters {} observers {}{}", r.self(), current, target.voters(),
        target.observers(), added.isEmpty() ? "" : "; new voters " + added + " catch up first (" + catchUpTicks
            + " ticks at most)");
    proposeIfCaughtUp();
  }

  /**
   * After commits: proposes the STABLE txn of a committed JOINT one, and the change waiting for catch-up once its
   * new voters caught up; drops removed members that have the change. Returns whether it proposed anything.
   */
  boolean flush() {
    boolean proposed = finishJoint();
    proposed |= proposeIfCaughtUp();
    dropRemovedMembers();
    return proposed;
  }

  void onTick() {
    if (catchingUp != null && r.ticks > deadline) {
      Set<Long> lagging = new TreeSet<>();
      for (long sid : newVoters) {
        if (!caughtUp(tracker.get(sid))) {
          lagging.add(sid);
        }
      }
      LOG.info("server {}: new voters {} did not catch up in time; the change to {} is given up", r.self(), lagging,
          catchingUp.target());
      refuse(catchingUp, RejectCode.CATCH_UP_TIMEOUT, Zxid.ZERO);
      catchingUp = null;
      forgetLearners();
    }
  }

  /**
   * A CONFIG txn was appended (the membership in force changed from {@code before}): members it no longer lists are
   * kept, outside the configuration, until they have the change; learners it lists are members now.
   */
  void onConfigAppended(Membership before, Membership after) {
    for (Member m : before.members()) {
      if (!after.isMember(m.id()) && m.id() != r.self()) {
        outside.put(m.id(), m);
      }
    }
    for (Member m : after.members()) {
      outside.remove(m.id());
      learners.remove(m.id());
    }
  }

  /**
   * A removed member started discovery again: it left (it knew of its removal), so it is dropped now rather than
   * synced again. Returns whether it was one.
   */
  boolean removedRejoins(long sid) {
    if (!outside.containsKey(sid) || learners.contains(sid)) {
      return false;
    }
    tracker.remove(sid);
    outside.remove(sid);
    toldAt.remove(sid);
    return true;
  }

  /** Leadership is lost: a change not proposed yet fails as not applied, one half done has an unknown outcome. */
  void leave() {
    if (catchingUp != null) {
      refuse(catchingUp, RejectCode.NO_QUORUM, Zxid.ZERO);
      catchingUp = null;
    }
    if (awaitingStable != null && awaitingStable.follower() == 0) {
      r.emit(new Reject(awaitingStable.requestId(), RejectCode.OUTCOME_UNKNOWN, 0));
    }
    awaitingStable = null;
  }

  private boolean proposeIfCaughtUp() {
    if (catchingUp == null || !broadcaster.canPropose()) {
      return false;
    }
    for (long sid : newVoters) {
      if (!caughtUp(tracker.get(sid))) {
        return false;
      }
    }
    Request q = catchingUp;
    catchingUp = null;
    ClusterConfiguration current = r.membership().current();
    if (q.target().voterIds().equals(current.voterIds())) {
      Zxid z = broadcaster.proposeConfig(zxid -> Membership.stable(q.target().withVersion(zxid.value())));
      LOG.info("server {} proposes {} at {}", r.self(), q.target().withVersion(z.value()), z);
      answer(q, z);
    } else {
      Zxid z = broadcaster.proposeConfig(zxid -> Membership.joint(current, q.target().withVersion(0)));
      LOG.info("server {} proposes the joint configuration of {} and {} at {}", r.self(), current, q.target(), z);
      awaitingStable = q;
    }
    return true;
  }

  /** R3: a committed JOINT txn is followed by its STABLE txn (also when a new leader found it in its log). */
  private boolean finishJoint() {
    Membership m = r.membership();
    Zxid joint = r.memberships.lastChange();
    if (!m.joint() || joint.isAfter(r.committed) || joint.equals(stableProposedFor) || !broadcaster.canPropose()) {
      return false;
    }
    stableProposedFor = joint;
    Zxid z = broadcaster.proposeConfig(zxid -> Membership.stable(m.next().withVersion(zxid.value())));
    LOG.info("server {}: the joint configuration committed; proposes {} at {}", r.self(),
        m.next().withVersion(z.value()), z);
    if (awaitingStable != null) {
      answer(awaitingStable, z);
      awaitingStable = null;
    }
    return true;
  }

  /**
   * Removed members leave the tracker once they hold the change, it is committed and they had a ping's time to learn
   * that (then they leave by themselves: their requests are answered first), or once they disconnected.
   */
  private void dropRemovedMembers() {
    Zxid last = r.memberships.lastChange();
    for (long sid : Set.copyOf(outside.keySet())) {
      if (learners.contains(sid)) {
        continue;
      }
      Progress p = tracker.get(sid);
      boolean knows = p != null && last != null && !p.acked.isBefore(last) && !r.committed.isBefore(last);
      if (knows) {
        toldAt.putIfAbsent(sid, r.ticks);
      }
      if (p == null || !p.connected || (knows && r.ticks - toldAt.get(sid) >= r.timing().pingIntervalTicks())) {
        tracker.remove(sid);
        outside.remove(sid);
        toldAt.remove(sid);
      }
    }
  }

  private void forgetLearners() {
    for (long sid : learners) {
      tracker.remove(sid);
      outside.remove(sid);
    }
    learners.clear();
  }

  /** Caught up: synced with this leader and at most one proposal batch behind its log (R2). */
  private boolean caughtUp(Progress p) {
    return p != null && p.synced() && r.log.countAfter(p.acked) <= r.config.maxBatchTxns();
  }

  /** The change is the txn at {@code z}: the request completes once it commits (FIFO after the proposal). */
  private void answer(Request q, Zxid z) {
    if (q.follower() == 0) {
      r.requests.awaitCommit(q.requestId(), z);
      r.requests.completeUpTo(r.committed, r::emit);
      return;
    }
    r.send(q.follower(), new RequestReply(q.requestId(), z, RejectCode.NONE)); // before its proposal (FIFO)
  }

  private void refuse(Request q, RejectCode code, Zxid detail) {
    if (q.follower() == 0) {
      r.emit(new Reject(q.requestId(), code, r.self(), detail));
    } else {
      r.send(q.follower(), new RequestReply(q.requestId(), detail, code));
    }
  }
}
