package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.RejectCode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S10: ZAB is CP. A leader cut off with a minority never commits and steps down; the majority goes on. */
class S10MinorityTest {

  @Test
  void minorityLeaderNeverCommitsAndStepsDownWhileTheMajorityElectsAndCommits() {
    CoreCluster c = new CoreCluster(5);
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(5L);
    c.submit(5, 1, "before");
    assertThat(c.peer(1).committedZxid()).isEqualTo(Zxid.of(1, 1));

    c.partitionSilently(Set.of(4L, 5L));
    c.submit(5, 2, "minority");
    assertThat(c.sent(5, 4)).contains(new Proposal(java.util.List.of(
        new io.zab.wire.Txn(Zxid.of(1, 2), "minority".getBytes()))));
    int syncLimit = c.configs[1].timing().syncLimitTicks();
    for (int i = 0; i <= syncLimit + 1; i++) {
      assertThat(c.peer(5).committedZxid()).as("minority leader commits nothing").isEqualTo(Zxid.of(1, 1));
      c.tick();
    }
    assertThat(c.peer(5).role()).as("leader stepped down within syncLimit").isNotEqualTo(Role.LEADING);
    assertThat(c.answers.get(5L)).contains(new Reject(2, RejectCode.OUTCOME_UNKNOWN, 0));

    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    assertThat(c.leaders()).containsExactly(3L);
    c.submit(3, 3, "majority");
    assertThat(c.answers.get(3L)).containsExactly(new Complete(3, Zxid.of(2, 1)));
    for (int i = 0; i < 100; i++) {
      c.tick();
      assertThat(c.peer(4).established() || c.peer(5).established()).as("the minority cannot form a quorum").isFalse();
    }

    c.heal();
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 150);
    assertThat(c.leaders()).containsExactly(3L);
    for (long sid = 1; sid <= 5; sid++) {
      assertThat(c.deliveredZxids(sid)).as("server %d", sid).containsExactly(Zxid.of(1, 1), Zxid.of(2, 1));
      assertThat(c.disk(sid).log()).extracting(t -> t.zxid()).containsExactly(Zxid.of(1, 1), Zxid.of(2, 1));
    }
  }

  @Test
  void leaderThatLosesConnectionsToTheMajorityStepsDownAtOnce() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    c.partition(Set.of(3L));
    c.tick();
    assertThat(c.peer(3).role()).isNotEqualTo(Role.LEADING);
    c.tickUntil(() -> c.allEstablished(1, 2), 50);
    assertThat(c.leaders()).containsExactly(2L);
  }
}
