package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import org.junit.jupiter.api.Test;

/** ZOOKEEPER-1277: when the zxid counter runs out the ensemble moves to a new epoch without losing writes. */
class CounterExhaustionTest {
  private static final long START = Zxid.MAX_COUNTER - 2;

  @Test
  void leaderMovesToANewEpochAndProposesTheHeldWrites() {
    CoreCluster c = new CoreCluster(3);
    for (long sid = 1; sid <= 3; sid++) {
      c.withFirstCounter(sid, START);
    }
    c.startAllEstablished();
    for (int i = 1; i <= 3; i++) {
      c.submit(3, i, "w" + i);
    }
    assertThat(c.peer(3).lastZxid()).isEqualTo(Zxid.of(1, Zxid.MAX_COUNTER));
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, Zxid.MAX_COUNTER));

    c.submit(3, 4, "held"); // no zxid left in epoch 1
    assertThat(c.answers.get(3L)).noneMatch(a -> a instanceof Reject);
    assertThat(c.actionsOf(3)).as("the leader gives up epoch 1")
        .contains(new Action.RoleChanged(Role.LOOKING, 0, 1, Zxid.of(1, Zxid.MAX_COUNTER)));
    c.submit(3, 5, "held too"); // submitted during the election: held as well

    c.tickUntil(() -> c.allEstablished(1, 2, 3), 80);
    assertThat(c.peer(3).currentEpoch()).isEqualTo(2);
    assertThat(c.answers.get(3L)).noneMatch(a -> a instanceof Reject);
    assertThat(c.answers.get(3L)).contains(
        new Complete(4, Zxid.of(2, START)), new Complete(5, Zxid.of(2, START + 1)));
    assertThat(c.deliveredZxids(1)).endsWith(Zxid.of(1, Zxid.MAX_COUNTER), Zxid.of(2, START), Zxid.of(2, START + 1));
  }

  @Test
  void forwardedWriteDuringExhaustionIsRejectedNoQuorumNotLost() {
    CoreCluster c = new CoreCluster(3);
    for (long sid = 1; sid <= 3; sid++) {
      c.withFirstCounter(sid, Zxid.MAX_COUNTER);
    }
    c.startAllEstablished();
    c.manualPersist(3, true);
    c.pause(2, 3); // (1, MAX) stays uncommitted until the leader's own fsync
    c.submit(3, 1, "last");
    c.submit(3, 3, "local"); // no zxid left: held
    c.submit(1, 2, "forwarded");
    assertThat(c.answers.get(1L)).as("not proposed, so the follower's client may retry")
        .containsExactly(new Reject(2, io.zab.wire.Message.RejectCode.NO_QUORUM, 3));
    assertThat(c.peer(3).established()).isTrue();
    c.manualPersist(3, false);
    c.persist(3); // commits (1, MAX): nothing outstanding, so the leader moves on to a new epoch
    c.run();
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, Zxid.MAX_COUNTER));
    c.resume(2, 3);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 80);
    assertThat(c.answers.get(3L)).contains(new Complete(3, Zxid.of(2, Zxid.MAX_COUNTER)));
  }
}
