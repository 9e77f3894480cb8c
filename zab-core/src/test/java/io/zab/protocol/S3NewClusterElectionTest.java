package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.protocol.Action.RoleChanged;
import org.junit.jupiter.api.Test;

/** S3: in a new cluster started one server at a time, sid 3 gathers a majority of five and keeps leading. */
class S3NewClusterElectionTest {

  @Test
  void fiveServersStartedOneByOneElectThirdAndLateOnesFollowIt() {
    CoreCluster c = new CoreCluster(5);
    c.start(1);
    c.ticks(3);
    assertThat(c.peer(1).role()).isEqualTo(Role.LOOKING);
    assertThat(c.peer(1).currentVote().leader()).isEqualTo(1);

    c.start(2);
    c.ticks(3);
    assertThat(c.peer(1).role()).isEqualTo(Role.LOOKING);
    assertThat(c.peer(1).currentVote().leader()).as("A switches to B").isEqualTo(2);

    c.start(3);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 40);
    assertThat(c.leaders()).containsExactly(3L);

    c.start(4);
    c.tickUntil(() -> c.allEstablished(4), 40);
    c.start(5);
    c.tickUntil(() -> c.allEstablished(5), 40);
    assertThat(c.leaders()).as("a later, larger sid does not take over").containsExactly(3L);
    for (long sid : new long[] {1, 2, 4, 5}) {
      assertThat(c.peer(sid).role()).isEqualTo(Role.FOLLOWING);
      assertThat(c.peer(sid).leader()).isEqualTo(3);
    }
    assertThat(c.actionsOf(5)).contains(new RoleChanged(Role.FOLLOWING, 3, 1, c.peer(5).lastZxid()));
  }

  @Test
  void singleServerEnsembleLeadsAtOnce() {
    CoreCluster c = new CoreCluster(1);
    c.start(1);
    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.peer(1).currentEpoch()).isEqualTo(1);
  }

  @Test
  void lookingServerDoesNotJoinALeaderThatNoLongerSaysLeading() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(3L);
    c.crash(3);
    c.crash(1);
    // 2 alone may win a stale round, but it can never get a quorum through discovery
    for (int i = 0; i < 150; i++) {
      c.tick();
      assertThat(c.leaders()).isEmpty();
      assertThat(c.peer(2).established()).isFalse();
    }
    c.restart(1);
    c.tickUntil(() -> c.allEstablished(1, 2), 60);
    assertThat(c.leaders()).containsExactly(2L);
  }
}
