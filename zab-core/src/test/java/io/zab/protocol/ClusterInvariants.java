package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.wire.Txn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Safety properties the harness checks after every step (after the Zab TLA+ specs' invariants). */
final class ClusterInvariants {
  /** Leadership: at most one server ever establishes itself as leader of a given epoch. */
  private final Map<Long, Long> leaderOfEpoch = new HashMap<>();

  void checkOneLeaderPerEpoch(long sid, Peer p) {
    if (p != null && p.role() == Role.LEADING && p.established()) {
      Long previous = leaderOfEpoch.putIfAbsent(p.currentEpoch(), sid);
      assertThat(previous == null ? sid : previous).as("leader of epoch %d", p.currentEpoch()).isEqualTo(sid);
    }
  }

  /** Item 1 of issue 10: every message a core emits fits the transport's frame. */
  void checkFitsFrame(long sid, io.zab.wire.Message m, int maxFrameBytes) {
    String tooBig = new FrameCheck(maxFrameBytes).problem(m);
    if (tooBig != null) {
      throw new AssertionError("server " + sid + " emitted " + tooBig);
    }
  }

  /** Per server: its writes and what it delivered itself (not through a snapshot), the simulator's rule too. */
  private final Map<Long, ResultHandoffCheck> handoff = new HashMap<>();

  /** A server (re)starts from its snapshot at {@code snapshotZxid}. */
  void started(long sid, io.zab.Zxid snapshotZxid) {
    handoff.computeIfAbsent(sid, k -> new ResultHandoffCheck(snapshotZxid)).restarted(snapshotZxid);
  }

  /**
   * Issue 16: a write's {@code Complete} comes before the {@code Deliver} of its txn on the server it was submitted
   * to, so the runtime can hand that apply's result to the write's future. Fed every event and action in order.
   */
  void checkResultHandoff(long sid, List<Event> events, List<Action> actions) {
    ResultHandoffCheck check = handoff.computeIfAbsent(sid, k -> new ResultHandoffCheck(io.zab.Zxid.ZERO));
    for (Event e : events) {
      if (e instanceof Event.Submit s) {
        check.submitted(s.requestId());
      } else if (e instanceof Event.ReadBarrier b) {
        check.forget(b.requestId());
      }
    }
    for (Action a : actions) {
      if (a instanceof Action.Deliver d) {
        check.delivered(d.txns());
      } else if (a instanceof Action.InstallSnapshot i && i.chunk().last()) {
        check.installed(i.chunk().snapshotZxid());
      } else if (a instanceof Action.Complete c) {
        String late = check.completed(c.requestId(), c.zxid());
        assertThat(late).as("server %d completes each write before delivering its txn", sid).isNull();
      }
    }
  }

  /** Total order and agreement: deliveries strictly increase and every two servers agree on their prefix. */
  void checkDelivered(long sid, Map<Long, List<Txn>> delivered) {
    List<Txn> mine = delivered.get(sid);
    for (int i = 1; i < mine.size(); i++) {
      assertThat(mine.get(i).zxid()).as("server %d delivers in zxid order, no repeats", sid)
          .isGreaterThan(mine.get(i - 1).zxid());
    }
    for (List<Txn> other : delivered.values()) {
      int n = Math.min(mine.size(), other.size());
      assertThat(mine.subList(0, n)).as("delivered prefixes agree").isEqualTo(other.subList(0, n));
    }
  }
}
