package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.runtime.CapturedLog;
import io.zab.wire.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S7: how a follower is synced (DIFF, TRUNC or SNAP) is logged at INFO by the leader and by the follower. */
class SyncModeLogTest {

  @Test
  void diffIsLoggedOnBothSides() {
    try (CapturedLog log = CapturedLog.start()) {
      new CoreCluster(3)
          .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 3)))
          .withState(2, new PersistentState(1, 1, Zxid.ZERO, txns(1, 5)))
          .withState(3, new PersistentState(1, 1, Zxid.ZERO, txns(1, 5)))
          .startAllEstablished();
      assertThat(log.lines("server 3 syncs follower 1 by DIFF in epoch 2")).hasSize(1).allMatch(l -> l.contains(" INFO "));
      assertThat(log.lines("server 1 syncs with leader 3 by DIFF from 0x1:0x3")).hasSize(1)
          .allMatch(l -> l.contains(" INFO "));
    }
  }

  @Test
  void truncIsLoggedOnBothSides() {
    try (CapturedLog log = CapturedLog.start()) {
      CoreCluster c = new CoreCluster(3)
          .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 4)))
          .withState(2, new PersistentState(1, 1, Zxid.ZERO, txns(1, 2)))
          .withState(3, new PersistentState(1, 1, Zxid.ZERO, txns(1, 2)));
      c.start(2, 3);
      c.tickUntil(() -> c.allEstablished(2, 3), 50);
      c.start(1);
      c.tickUntil(() -> c.allEstablished(1), 50);
      assertThat(log.lines("server 3 syncs follower 1 by TRUNC")).hasSize(1);
      assertThat(log.lines("server 1 syncs with leader 3 by TRUNC: its log is cut back from 0x1:0x4 to 0x1:0x2"))
          .hasSize(1);
    }
  }

  @Test
  void snapIsLoggedOnBothSides() {
    List<Txn> all = txns(1, 7);
    PersistentState snapshotted = new PersistentState(1, 1, Zxid.of(1, 5), all.subList(5, 7));
    try (CapturedLog log = CapturedLog.start()) {
      new CoreCluster(3)
          .withState(1, new PersistentState(1, 1, Zxid.ZERO, all.subList(0, 2)))
          .withState(2, snapshotted)
          .withState(3, snapshotted)
          .startAllEstablished();
      assertThat(log.lines("server 3 syncs follower 1 by SNAP")).hasSize(1);
      assertThat(log.lines("server 1 syncs with leader 3 by SNAP: receiving snapshot 0x1:0x5")).hasSize(1);
    }
  }
}
