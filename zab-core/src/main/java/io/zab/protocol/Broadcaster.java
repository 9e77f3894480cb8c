package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Event.Submit;
import io.zab.wire.Message.Commit;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.Request;
import io.zab.wire.Message.RequestReply;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;

/**
 * The established leader's atomic broadcast (S8, S9): assign zxids, append and send proposals in one
 * action list (followers receive them before the leader's own fsync), and commit strictly in zxid order
 * once a quorum, the leader counted only after its own fsync, has the txn durable.
 */
final class Broadcaster {
  private final Replica r;
  private final RoleBehavior.Exit exit;
  private final QuorumTracker tracker;
  private final Replicator replicator;
  private final List<Txn> batch = new ArrayList<>();
  /** Body bytes of the proposal {@link #batch} would make. */
  private long batchBytes = MessageCodec.PROPOSAL_HEADER_BYTES;
  /** {@link #batch} holds a CONFIG txn (kept as it is added, so the write path scans no batch for one). */
  private boolean configInBatch;
  private long epoch = -1;
  private Zxid lastAssigned;
  /** The counter is exhausted: hold new writes and step down once everything proposed is committed. */
  private boolean exhausted;
  /** A leadership transfer is under way: new writes are held (or, forwarded, refused), nothing is proposed. */
  private boolean paused;
  /** Told each time a batch holding a CONFIG txn was appended (the membership in force changed). */
  private Runnable onMembershipChange = () -> {};

  Broadcaster(Replica r, RoleBehavior.Exit exit, QuorumTracker tracker, Replicator replicator) {
    this.r = r;
    this.exit = exit;
    this.tracker = tracker;
    this.replicator = replicator;
  }

  void onMembershipChange(Runnable callback) {
    this.onMembershipChange = callback;
  }

  /** Whether a txn can be proposed now: established, not paused, and the zxid counter not exhausted. */
  boolean canPropose() {
    return epoch >= 0 && !exhausted && !paused && (lastAssigned == null || !lastAssigned.counterExhausted());
  }

  /**
   * A leadership transfer starts: nothing more is proposed; writes submitted here are held (they go to whoever
   * leads next, this server included), forwarded ones are refused as not proposed.
   */
  void pause() {
    flushBatch();
    paused = true;
    r.requests.startHolding();
  }

  /** The transfer failed: this leader goes on, proposing the writes held meanwhile first. */
  void resume() {
    paused = false;
    for (Submit s : r.requests.releaseHeld()) {
      submit(s, true);
    }
  }

  /** Whether everything this leader proposed is committed (its batch included). */
  boolean allCommitted() {
    return batch.isEmpty() && r.committed.equals(r.log.last());
  }

  /**
   * Proposes a CONFIG txn carrying what {@code membership} makes of its zxid, at once (it is in force from its
   * append on: docs/protocol.md, membership). Only when {@link #canPropose()}. Returns its zxid.
   */
  Zxid proposeConfig(java.util.function.Function<Zxid, io.zab.wire.Membership> membership) {
    Zxid zxid = nextZxid();
    append(new Txn(zxid, Txn.Kind.CONFIG, io.zab.wire.MembershipCodec.encode(membership.apply(zxid))));
    flushBatch();
    return zxid;
  }

  /** The leader is established in {@code newEpoch}: propose the writes held during the epoch change. */
  void begin(long newEpoch) {
    epoch = newEpoch;
    for (Submit s : r.requests.releaseHeld()) {
      submit(s, true);
    }
  }

  /** A write submitted on the leader itself. */
  void submit(Submit s, boolean established) {
    RejectCode refused = !established ? RejectCode.NO_QUORUM : admission(s.data());
    boolean hold = exhausted || paused || (refused == RejectCode.NO_QUORUM && r.requests.holding());
    if ((refused == RejectCode.NONE || refused == RejectCode.NO_QUORUM) && hold) {
      if (!r.requests.hold(s, r.config.maxOutstanding())) {
        r.emit(new Reject(s.requestId(), RejectCode.OVERLOADED, r.self()));
      }
      return;
    }
    if (refused != RejectCode.NONE) {
      r.emit(new Reject(s.requestId(), refused, refused == RejectCode.NO_QUORUM ? 0 : r.self()));
      return;
    }
    r.requests.awaitCommit(s.requestId(), propose(s.data()));
  }

  /**
   * A write forwarded by follower {@code from} (S9). The reply goes out at once, so it precedes the proposal of
   * that write on the same channel (FIFO): the follower learns which zxid is its own before it can commit and
   * apply it, and so hands the result of that apply to its client (issue 16).
   */
  void request(long from, Request q) {
    RejectCode refused = admission(q.data());
    if (refused == RejectCode.NONE && (exhausted || paused)) {
      refused = RejectCode.NO_QUORUM; // not proposed: the follower's client retries in the next epoch
    }
    if (refused != RejectCode.NONE) {
      r.send(from, new RequestReply(q.requestId(), Zxid.ZERO, refused));
      return;
    }
    Zxid zxid = propose(q.data());
    r.send(from, new RequestReply(q.requestId(), zxid, RejectCode.NONE));
  }

  /** Size and backpressure checks; also detects counter exhaustion (ZOOKEEPER-1277). */
  private RejectCode admission(byte[] data) {
    if (data.length > r.config.maxTxnBytes()) {
      return RejectCode.TOO_LARGE;
    }
    if (r.log.countAfter(r.committed) + batch.size() >= r.config.maxOutstanding()) {
      return RejectCode.OVERLOADED;
    }
    if (lastAssigned != null && lastAssigned.counterExhausted()) {
      exhausted = true;
      r.requests.startHolding();
    }
    return RejectCode.NONE;
  }

  private Zxid propose(byte[] data) {
    Zxid zxid = nextZxid();
    append(new Txn(zxid, data));
    return zxid;
  }

  private Zxid nextZxid() {
    Zxid zxid = lastAssigned == null ? Zxid.of(epoch, r.firstCounter) : lastAssigned.next();
    lastAssigned = zxid;
    return zxid;
  }

  private void append(Txn txn) {
    long bytes = ProposalBatches.bytes(txn);
    if (!batch.isEmpty() && batchBytes + bytes > r.config.maxProposalBytes()) {
      flushBatch(); // one proposal is one frame
    }
    batch.add(txn);
    batchBytes += bytes;
    configInBatch |= txn.isConfig();
    if (batch.size() >= r.config.maxBatchTxns()) {
      flushBatch();
    }
  }

  /** Appends the coalesced batch and streams it to every follower whose window has room. */
  void flushBatch() {
    if (!batch.isEmpty()) {
      List<Txn> txns = List.copyOf(batch);
      boolean membershipChanged = configInBatch;
      batch.clear();
      batchBytes = MessageCodec.PROPOSAL_HEADER_BYTES;
      configInBatch = false;
      // Proposals first: followers can fsync in parallel with the leader's own append (an ack still means
      // durable on the acker; the leader counts itself only once its own log reports Persisted).
      r.hold(txns);
      if (membershipChanged) {
        onMembershipChange.run(); // new members are tracked before the stream goes out
      }
      replicator.pumpAll();
      r.emit(new Append(txns));
    }
  }

  /**
   * Commits whatever a quorum now holds durably, then sends the batch. The new txns are durable nowhere yet, so the
   * commit point is the one evaluated after them would be; evaluated first, each follower's COMMIT and PROPOSAL go
   * out in one flush (the runtime flushes the sends before an Append) rather than in two.
   */
  void flush() {
    Zxid quorumDurable = tracker.quorumDurable(r.durable);
    if (quorumDurable != null && quorumDurable.isAfter(r.committed)) {
      r.commitTo(quorumDurable);
      for (Progress h : tracker.all()) {
        if (h.receivesProposals()) {
          r.send(h.sid, new Commit(r.committed));
        }
      }
    }
    flushBatch();
    if (exhausted && r.committed.equals(r.log.last())) {
      exit.backToLooking("zxid counter exhausted in epoch " + epoch + "; moving to a new epoch");
    }
  }
}
