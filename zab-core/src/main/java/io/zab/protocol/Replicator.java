package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.protocol.FollowerProgress.Flow;
import io.zab.protocol.FollowerProgress.Phase;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Proposal;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's stream of its history to each member, with flow control (issue 10 item 3). Each member's
 * {@link Progress} records the last zxid sent to it and the proposal bytes it has not acknowledged; the stream to
 * it goes on while they fit the window ({@code maxInFlightBytes}; a txn larger than the window goes out alone when
 * nothing else is in flight) and pauses past it, for that member only:
 * heartbeats, commits and read-barrier rounds still go out, and the commit point moves with the fastest quorum.
 * Its acks reopen the window and the stream resumes from the in-memory log, in proposals of at most one frame. If
 * the txns it needs were compacted away meanwhile, it gets the newest snapshot on the same connection (in the same
 * epoch) and the txns after it; see docs/protocol.md (flow control) for why that is safe. A sync stream (S7) is
 * the same stream from where the member's log matches the leader's, with NewLeader at the point chosen when it
 * started.
 */
final class Replicator {
  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

  private final Replica r;
  private final QuorumTracker tracker;
  private long epoch = -1;

  Replicator(Replica r, QuorumTracker tracker) {
    this.r = r;
    this.tracker = tracker;
  }

  /**
   * The sync of {@code p} in {@code epoch} begins: its log matches the leader's history up to {@code from} once the
   * header (DIFF, TRUNC, or the snapshot at {@code from} when {@code bySnapshot}) arrived. The stream follows, then
   * NewLeader naming the leader's last zxid of now.
   */
  void start(Progress p, long epoch, Zxid from, boolean bySnapshot) {
    this.epoch = epoch;
    p.phase = Phase.SYNCING;
    p.sent = from;
    p.newLeaderZxid = r.log.last();
    p.newLeaderSent = false;
    p.snapshotInFlight = bySnapshot ? from : null;
    pump(p);
  }

  /** {@code p} acknowledged every txn up to {@code z} as durable: those proposals are no longer in flight. */
  void onAck(Progress p, Zxid z) {
    p.acked = Zxid.max(p.acked, z);
    while (!p.inFlight.isEmpty() && !p.inFlight.peek().last().isAfter(p.acked)) {
      p.bytesInFlight -= p.inFlight.poll().bytes();
    }
    if (p.snapshotInFlight != null && !p.acked.isBefore(p.snapshotInFlight)) {
      p.snapshotInFlight = null;
    }
  }

  /** Sends every streaming member what its window allows. */
  void pumpAll() {
    for (Progress p : tracker.all()) {
      pump(p);
    }
  }

  private void pump(Progress p) {
    if (!p.receivesProposals()) {
      return;
    }
    long window = r.config.maxInFlightBytes();
    while (true) {
      if (!p.newLeaderSent && p.sent.equals(p.newLeaderZxid)) {
        r.send(p.sid, new NewLeader(epoch, p.newLeaderZxid));
        p.newLeaderSent = true;
      }
      Zxid target = p.newLeaderSent ? r.log.last() : p.newLeaderZxid;
      if (!p.sent.isBefore(target)) {
        p.flow = p.snapshotInFlight != null ? Flow.SNAPSHOT : Flow.REPLICATE;
        break;
      }
      if (p.bytesInFlight >= window) {
        p.flow = p.snapshotInFlight != null ? Flow.SNAPSHOT : Flow.PAUSED;
        break;
      }
      if (p.sent.isBefore(r.log.base())) {
        catchUpBySnapshot(p);
        continue;
      }
      long room = Math.min(r.config.maxProposalBytes(), window - p.bytesInFlight);
      List<Txn> batch = r.log.batchAfter(p.sent, target, r.config.maxBatchTxns(), room);
      long bytes = MessageCodec.proposalBytes(batch);
      if (bytes > room && p.bytesInFlight > 0) { // one txn larger than what is left: wait for acks
        p.flow = p.snapshotInFlight != null ? Flow.SNAPSHOT : Flow.PAUSED;
        break;
      }
      r.send(p.sid, new Proposal(batch));
      p.sent = batch.get(batch.size() - 1).zxid();
      p.inFlight.add(new Progress.InFlight(p.sent, bytes));
      p.bytesInFlight += bytes;
    }
  }

  /**
   * The txns after {@code p}'s position were compacted away (it was paused while the log moved on): the newest
   * snapshot, then the txns after it, on the same connection. Its log is a prefix of the leader's history and the
   * snapshot holds committed state beyond it, so installing it loses nothing it acknowledged.
   */
  private void catchUpBySnapshot(Progress p) {
    Zxid z = r.snapshotZxid;
    LOG.info("server {} catches follower {} up by snapshot {}: the txns after its position {} were compacted away"
        + " (log base {})", r.self(), p.sid, z, p.sent, r.log.base());
    r.emit(new SendSnapshot(p.sid, z));
    p.sent = z;
    p.snapshotInFlight = z;
    if (!p.newLeaderSent && p.newLeaderZxid.isBefore(z)) {
      p.newLeaderZxid = z; // NewLeader may name any point of the history the stream has reached
    }
  }
}
