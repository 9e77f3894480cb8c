package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.Reject;
import io.zab.wire.Message.Handover;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.RequestReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The established leader's side of a leadership transfer (docs/protocol.md, leadership transfer; Raft's TimeoutNow
 * adapted to ZAB's vote order): stop proposing, wait until the target is synced, has acknowledged this leader's last
 * zxid and that zxid is committed, then send every member HANDOVER and go LOOKING, preferring the target. A target
 * that is not a voter fails at once; one that is not up to date within the bound fails the transfer, and this leader
 * resumes proposing (the writes held meanwhile first).
 */
final class LeadershipTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipTransfer.class);

  /** A transfer: asked by follower {@code follower} (0: this server's client; -1: this leader itself, R4). */
  private record Request(long follower, long requestId, long target, long deadline) {}

  static final long INTERNAL = -1;

  private final Replica r;
  private final QuorumTracker tracker;
  private final Broadcaster broadcaster;
  private final RoleBehavior.Exit exit;
  private Request active;

  LeadershipTransfer(Replica r, QuorumTracker tracker, Broadcaster broadcaster, RoleBehavior.Exit exit) {
    this.r = r;
    this.tracker = tracker;
    this.broadcaster = broadcaster;
    this.exit = exit;
  }

  boolean active() {
    return active != null;
  }

  /**
   * A transfer to {@code target}, asked by {@code follower} (0: here; {@link #INTERNAL}: this leader was removed);
   * {@code otherChangeUnderWay}: a reconfiguration is.
   */
  void request(long follower, long requestId, long target, long timeoutTicks, boolean otherChangeUnderWay) {
    Request q = new Request(follower, requestId, target, r.ticks + timeoutTicks);
    if (target == r.self()) {
      if (follower == 0) {
        r.emit(new Action.Complete(requestId, Zxid.ZERO)); // already the leader
      }
      return;
    }
    if (active != null || otherChangeUnderWay || (follower == 0 && r.transferWatch != null)) {
      refuse(q, RejectCode.CHANGE_IN_PROGRESS);
      return;
    }
    if (!r.membership().current().isVoter(target) || tracker.get(target) == null) {
      LOG.info("server {}: no leadership transfer to {}: it is not a voter of {}", r.self(), target,
          r.membership().current());
      refuse(q, RejectCode.TRANSFER_FAILED);
      return;
    }
    LOG.info("server {} hands leadership over to {} once it is up to date ({} ticks at most); proposals pause",
        r.self(), target, timeoutTicks);
    active = q;
    broadcaster.pause();
  }

  void onTick() {
    if (active != null && r.ticks > active.deadline()) {
      Progress p = tracker.get(active.target());
      LOG.info("server {}: leadership transfer to {} failed: {} within the bound; this server goes on leading",
          r.self(), active.target(), p == null || !p.synced() ? "it did not sync" : "it did not catch up (acked "
              + p.acked + " of " + r.log.last() + ")");
      refuse(active, RejectCode.TRANSFER_FAILED);
      active = null;
      broadcaster.resume();
    }
  }

  /**
   * Hands over once the target holds everything and everything is committed; returns true if it did (this server
   * left the role).
   */
  boolean flush(long epoch) {
    if (active == null) {
      return false;
    }
    Progress p = tracker.get(active.target());
    if (p == null || !p.synced() || !p.acked.equals(r.log.last()) || !broadcaster.allCommitted()) {
      return false;
    }
    Request q = active;
    active = null;
    Zxid last = r.log.last();
    for (Progress member : tracker.all()) {
      if (member.joined()) {
        r.send(member.sid, new Handover(q.target(), epoch, last));
      }
    }
    if (q.follower() == 0) { // the election that follows gets at least initLimit, whatever the catch-up took
      r.transferWatch = new TransferWatch(q.requestId(), q.target(), r.self(),
          Math.max(q.deadline(), r.ticks + r.timing().initLimitTicks()));
    }
    exit.handover(new Vote(q.target(), last, epoch), "handing leadership over to " + q.target() + " (epoch " + epoch
        + ", zxid " + last + ")");
    return true;
  }

  /**
   * Leadership is lost another way during the transfer: a transfer asked here keeps watching who leads next (the
   * election may still pick the target).
   */
  void leave() {
    if (active != null && active.follower() == 0) {
      r.transferWatch = new TransferWatch(active.requestId(), active.target(), r.self(),
          Math.max(r.ticks, active.deadline()));
    }
    active = null;
  }

  private void refuse(Request q, RejectCode code) {
    if (q.follower() == 0) {
      r.emit(new Reject(q.requestId(), code, r.self()));
    } else if (q.follower() != INTERNAL) {
      r.send(q.follower(), new RequestReply(q.requestId(), Zxid.ZERO, code));
    }
  }
}
