package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.wire.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S1/S4: after the leader dies the most up-to-date server is elected and every committed txn survives. */
class LeaderCrashTest {

  @Test
  void reElectionPicksTheMostUpToDateServerAndKeepsCommittedTxns() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(3L);
    c.submit(3, 1, "a");
    c.pause(3, 2); // 2 falls behind: b and c commit with 1's acks
    c.submit(3, 2, "b");
    c.submit(3, 3, "c");
    assertThat(c.answers.get(3L)).hasSize(3);
    assertThat(c.peer(2).lastZxid()).isEqualTo(Zxid.of(1, 1));

    c.crash(3);
    c.tickUntil(() -> c.allEstablished(1, 2), 60);
    assertThat(c.leaders()).as("1 has the newest zxid, so it beats the larger sid 2").containsExactly(1L);
    List<Zxid> committed = List.of(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3));
    assertThat(c.deliveredZxids(2)).isEqualTo(committed);

    c.restart(3);
    c.tickUntil(() -> c.allEstablished(3), 60);
    assertThat(c.peer(3).role()).isEqualTo(Role.FOLLOWING);
    c.submit(3, 4, "d");
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.disk(sid).log()).extracting(Txn::zxid)
          .containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(2, 1));
    }
    assertThat(c.answers.get(3L)).contains(new Complete(4, Zxid.of(2, 1)));
  }

  @Test
  void txnsAckedByFollowersSurviveALeaderThatCrashedBeforeItsOwnFsync() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    c.manualPersist(3, true);
    c.submit(3, 1, "a");
    c.submit(3, 2, "b");
    assertThat(c.answers.get(3L)).containsExactly(new Complete(1, Zxid.of(1, 1)), new Complete(2, Zxid.of(1, 2)));

    c.crash(3); // its log was never fsynced: both txns vanish from its disk
    assertThat(c.disk(3).log()).isEmpty();
    c.manualPersist(3, false);
    c.tickUntil(() -> c.allEstablished(1, 2), 60);
    c.restart(3);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 60);
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.disk(sid).log()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2));
      assertThat(c.deliveredZxids(sid)).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2));
    }
  }

  @Test
  void followerRestartCatchesUp() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    c.submit(3, 1, "a");
    c.crash(1);
    c.submit(3, 2, "b");
    c.restart(1);
    c.tickUntil(() -> c.allEstablished(1), 60);
    assertThat(c.leaders()).containsExactly(3L);
    assertThat(c.deliveredZxids(1)).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2));
  }
}
