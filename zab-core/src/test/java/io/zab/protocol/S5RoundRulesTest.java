package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message.Notification;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S5: logical clock (round) rules of fast leader election, driven on one peer. */
class S5RoundRulesTest {
  private static final Timing TIMING = new Timing(2, 8, 60, 20, 3);
  private static final Zxid MINE = Zxid.of(1, 3);

  private final Peer p = new Peer(new PeerConfig(1, Set.of(1L, 2L, 3L), TIMING, 1024, 100, 10),
      new PersistentState(1, 1, Zxid.ZERO, List.of(
          new Txn(Zxid.of(1, 1), new byte[0]), new Txn(Zxid.of(1, 2), new byte[0]), new Txn(MINE, new byte[0]))));

  @Test
  void startIncrementsRoundAndVotesForSelfWithCurrentEpoch() {
    List<Action> out = p.handle(new Event.Start());
    Notification self = new Notification(Role.LOOKING, 1, MINE, 1, 1);
    assertThat(out).containsExactly(new Send(2, self), new Send(3, self));
    assertThat(p.currentVote()).isEqualTo(new Vote(1, MINE, 1));
  }

  @Test
  void higherRoundClearsTallyAndReevaluatesAgainstOwnVote() {
    p.handle(new Event.Start());
    // round 1: 2 proposes a better vote (same data, higher sid): adopted, and with 2's own vote that is a quorum
    p.handle(vote(2, 2, MINE, 1, 1));
    assertThat(p.currentVote().leader()).isEqualTo(2);
    // round 2 from 3 with a weaker vote: take round 2, forget round 1 (including the adoption of 2), re-vote
    List<Action> out = p.handle(vote(3, 3, Zxid.ZERO, 2, 0));
    Notification mine = new Notification(Role.LOOKING, 1, MINE, 2, 1);
    assertThat(out).containsExactly(new Send(2, mine), new Send(3, mine));
    assertThat(p.currentVote()).isEqualTo(new Vote(1, MINE, 1));
    for (int i = 0; i < 10; i++) {
      p.handle(new Event.Tick());
    }
    assertThat(p.role()).as("the round-1 quorum for 2 no longer counts").isEqualTo(Role.LOOKING);
  }

  @Test
  void lowerRoundIsNotCountedButAnsweredWithMyVote() {
    p.handle(new Event.Start());
    p.handle(vote(3, 3, Zxid.ZERO, 4, 0)); // move to round 4
    List<Action> out = p.handle(vote(2, 2, Zxid.of(9, 9), 2, 9));
    assertThat(out).containsExactly(new Send(2, new Notification(Role.LOOKING, 1, MINE, 4, 1)));
    assertThat(p.currentVote().leader()).as("a stale round never changes my vote").isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      p.handle(new Event.Tick());
    }
    assertThat(p.role()).isEqualTo(Role.LOOKING);
  }

  @Test
  void equalRoundAdoptsBetterVoteAndResendsOnlyWhenChanged() {
    p.handle(new Event.Start());
    List<Action> worse = p.handle(vote(3, 3, Zxid.of(1, 1), 1, 1));
    assertThat(worse).as("a worse vote changes nothing, so nothing is sent").isEmpty();
    List<Action> better = p.handle(vote(2, 2, MINE, 1, 1));
    Notification adopted = new Notification(Role.LOOKING, 2, MINE, 1, 1);
    assertThat(better).containsExactly(new Send(2, adopted), new Send(3, adopted));
  }

  @Test
  void quorumWaitsFinalizeTicksAndABetterVoteRestartsTheWait() {
    p.handle(new Event.Start());
    p.handle(vote(2, 2, MINE, 1, 1)); // quorum {1, 2} for 2: finalize wait of 2 ticks starts
    p.handle(new Event.Tick());
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    p.handle(vote(3, 3, MINE, 1, 1)); // a better vote arrives during the wait
    assertThat(p.currentVote().leader()).isEqualTo(3);
    p.handle(new Event.Tick());
    assertThat(p.role()).as("the wait restarted for the new vote").isEqualTo(Role.LOOKING);
    p.handle(new Event.Tick());
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    assertThat(p.leader()).isEqualTo(3);
  }

  @Test
  void allVotersAgreeingDecidesWithoutWaiting() {
    p.handle(new Event.Start());
    p.handle(vote(2, 3, MINE, 1, 1));
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    p.handle(vote(3, 3, MINE, 1, 1));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
  }

  @Test
  void votesAreResentWithBackoffToPeersNotKnownEstablished() {
    p.handle(new Event.Start());
    p.handle(new Event.Received(2, new Notification(Role.FOLLOWING, 9, Zxid.ZERO, 1, 0))); // 2 is established
    int[] resendTicks = new int[40];
    int count = 0;
    for (int t = 1; t <= 40; t++) {
      List<Action> out = p.handle(new Event.Tick());
      if (out.contains(new Send(3, new Notification(Role.LOOKING, 1, MINE, 1, 1)))) {
        resendTicks[count++] = t;
      }
      assertThat(out).noneMatch(a -> a instanceof Send s && s.to() == 2);
    }
    // intervals 1, 2, 4, 8, 8, ... (capped at maxNotificationIntervalTicks = 8)
    assertThat(java.util.Arrays.copyOf(resendTicks, count)).containsExactly(1, 3, 7, 15, 23, 31, 39);
  }

  @Test
  void establishedServerAnswersLookingPeersWithItsLeader() {
    p.handle(new Event.Start());
    p.handle(vote(2, 3, MINE, 1, 1));
    p.handle(vote(3, 3, MINE, 1, 1));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    List<Action> out = p.handle(vote(2, 2, Zxid.ZERO, 7, 0));
    assertThat(out).containsExactly(new Send(2, new Notification(Role.FOLLOWING, 3, MINE, 1, 1)));
  }

  static Event vote(long from, long leader, Zxid zxid, long round, long epoch) {
    return new Event.Received(from, new Notification(Role.LOOKING, leader, zxid, round, epoch));
  }
}
