package io.zab.protocol;

import static io.zab.protocol.S5RoundRulesTest.vote;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Message.Notification;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 7 (S3, S6): a join that cannot be served is answered, and a joiner whose chosen leader will not lead
 * it goes back to the election at once instead of waiting for initLimit. The whole effect on heal times is measured
 * by zab-testkit's {@code HealToServingTest}.
 */
class JoinAnsweredTest {
  private static final Timing TIMING = new Timing(2, 8, 60, 20, 3);
  private static final Zxid LAST = Zxid.of(1, 2);

  private static Peer peer(long self) {
    return new Peer(new PeerConfig(self, Set.of(1L, 2L, 3L), TIMING, 1024, 100, 10),
        new PersistentState(1, 1, Zxid.ZERO, List.of(new Txn(Zxid.of(1, 1), new byte[0]), new Txn(LAST, new byte[0]))));
  }

  /** Server 1 decided for 3 in round 1 (everyone voted 3) and is joining it. */
  private static Peer joinerOf3() {
    Peer p = peer(1);
    p.handle(new Event.Start());
    p.handle(vote(2, 3, LAST, 1, 1));
    p.handle(vote(3, 3, LAST, 1, 1));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    return p;
  }

  private static Event from(long sid, io.zab.wire.Message m) {
    return new Event.Received(sid, m);
  }

  @Test
  void S6_aLookingServerAnswersAJoinWithItsVote() {
    Peer p = peer(2);
    p.handle(new Event.Start());
    assertThat(p.handle(from(1, new FollowerInfo(1, LAST))))
        .containsExactly(new Send(1, new Notification(Role.LOOKING, 2, LAST, 1, 1)));
  }

  @Test
  void S6_aFollowerAnswersAJoinWithTheLeaderItFollows() {
    Peer p = joinerOf3();
    assertThat(p.handle(from(2, new FollowerInfo(1, LAST))))
        .containsExactly(new Send(2, new Notification(Role.FOLLOWING, 3, LAST, 1, 1)));
  }

  @Test
  void S6_aJoinerWhoseLeaderVotesForAnotherServerReentersTheElectionAtOnce() {
    Peer p = joinerOf3();
    p.handle(from(3, new Notification(Role.LOOKING, 2, Zxid.of(1, 3), 1, 1)));
    assertThat(p.role()).isEqualTo(Role.LOOKING);
  }

  @Test
  void S6_aJoinerWhoseLeaderFollowsAnotherServerReentersTheElectionAtOnce() {
    Peer p = joinerOf3();
    p.handle(from(3, new Notification(Role.FOLLOWING, 2, Zxid.of(1, 3), 4, 2)));
    assertThat(p.role()).isEqualTo(Role.LOOKING);
  }

  @Test
  void S6_aJoinerWhoseLeaderStartedANewRoundReentersTheElectionInThatRound() {
    Peer p = joinerOf3();
    List<Action> out = p.handle(from(3, new Notification(Role.LOOKING, 3, LAST, 2, 1)));
    assertThat(p.role()).as("back in the election, in the leader's new round").isEqualTo(Role.LOOKING);
    assertThat(p.currentVote().leader()).isEqualTo(3);
    assertThat(out).anyMatch(a -> a instanceof Send s && s.message() instanceof Notification n && n.round() == 2);
  }

  @Test
  void S6_aJoinerWaitsForALeaderFinishingItsElectionInTheSameRound() {
    Peer p = joinerOf3();
    List<Action> out = p.handle(from(3, new Notification(Role.LOOKING, 3, LAST, 1, 1)));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    assertThat(out).as("it tells its leader it follows it").containsExactly(
        new Send(3, new Notification(Role.FOLLOWING, 3, LAST, 1, 1)));
  }

  @Test
  void S5_aLookingServerCountsAServerThatDecidedForItInItsRound() {
    Peer p = peer(3);
    p.handle(new Event.Start());
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    // 1 decided for 3 in round 1 and only answers with FOLLOWING: with 3's own vote that is a quorum of 3
    p.handle(from(1, new Notification(Role.FOLLOWING, 3, LAST, 1, 1)));
    for (int i = 0; i < TIMING.finalizeWaitTicks(); i++) {
      p.handle(new Event.Tick());
    }
    assertThat(p.role()).isEqualTo(Role.LEADING);
  }

  @Test
  void S6_aJoinerPastDiscoveryLeavesWhenItsLeaderSaysItFollowsAnother() {
    Peer p = joinerOf3();
    p.handle(from(3, new LeaderInfo(2)));
    p.handle(from(3, new Notification(Role.FOLLOWING, 2, Zxid.of(1, 3), 4, 2)));
    assertThat(p.role()).isEqualTo(Role.LOOKING);
  }
}
