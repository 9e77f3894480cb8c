package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.SyncReply;
import io.zab.wire.Message.SyncRequest;
import java.util.ArrayDeque;

/**
 * The established leader's read barriers, confirmed like Raft's ReadIndex. A barrier (the leader's own
 * client's, or a follower's {@link SyncRequest}) records the commit point when it arrives, then waits for a
 * leadership round issued after it: the leader sends {@code SyncRequest(round)} to its synced followers,
 * each answers {@code SyncReply(round, ...)} if it still follows this leader in this epoch, and once a quorum
 * (the leader included) echoed a round, every barrier waiting on that round or an older one completes. A
 * leader that was paused and replaced meanwhile never gets that quorum, so it never answers with stale data.
 * One round is in flight at a time; the barriers that arrive meanwhile share the next one.
 */
final class ReadBarriers {
  /** A barrier waiting for {@code round}; {@code follower} is 0 for the leader's own client. */
  private record Waiting(long round, Zxid commitPoint, long follower, long requestId) {}

  private final Replica r;
  private final QuorumTracker tracker;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** The last round sent to the followers. */
  private long issued;
  /** The highest round a quorum confirmed. */
  private long confirmed;

  ReadBarriers(Replica r, QuorumTracker tracker) {
    this.r = r;
    this.tracker = tracker;
  }

  /** A barrier arrived: it needs a round that starts after now. */
  void add(long follower, long requestId) {
    waiting.add(new Waiting(issued + 1, r.committed, follower, requestId));
  }

  /** Starts the round the waiting barriers need, unless one is in flight (it then starts when that confirms). */
  void flush() {
    if (waiting.isEmpty() || waiting.peekLast().round() <= issued || confirmed < issued) {
      return;
    }
    issued++;
    for (Progress h : tracker.all()) {
      if (h.synced()) {
        r.send(h.sid, new SyncRequest(issued));
      }
    }
    confirm(); // a one-server ensemble is its own quorum
  }

  /**
   * With every ping: counts the round in flight again under the membership in force (a change may have made a
   * quorum of the echoes it has, or of the leader alone: its other followers were removed and will never echo it),
   * then resends it to synced followers that have not echoed it (it went out before they were synced, or was lost
   * with a connection), so that a round is never stuck.
   */
  void resendRound() {
    if (confirmed >= issued) {
      return;
    }
    confirm();
    if (confirmed >= issued) {
      flush(); // the barriers that arrived meanwhile
      return;
    }
    for (Progress h : tracker.all()) {
      if (h.synced() && h.echoedRound < issued) {
        r.send(h.sid, new SyncRequest(issued));
      }
    }
  }

  /** Synced follower {@code h} echoed {@code round}: it still follows this leader in this epoch. */
  void onEcho(Progress h, long round) {
    if (round > issued) {
      return; // not a round of this leader
    }
    h.echoedRound = Math.max(h.echoedRound, round);
    confirm();
    flush();
  }

  private void confirm() {
    confirmed = Math.max(confirmed, tracker.quorumEchoedRound(issued));
    while (!waiting.isEmpty() && waiting.peek().round() <= confirmed) {
      Waiting w = waiting.poll();
      if (w.follower() == 0) {
        r.emit(new Complete(w.requestId(), w.commitPoint()));
      } else {
        r.send(w.follower(), new SyncReply(w.requestId(), w.commitPoint()));
      }
    }
  }

  /** Leadership is lost: the leader's own barriers fail; followers fail theirs when they leave this leader. */
  void failAll() {
    for (Waiting w : waiting) {
      if (w.follower() == 0) {
        r.emit(new Reject(w.requestId(), RejectCode.NO_QUORUM, 0));
      }
    }
    waiting.clear();
  }
}
