package io.zab.protocol;

import static io.zab.protocol.S5RoundRulesTest.vote;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message.AckEpoch;
import io.zab.wire.Message.AckNewLeader;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S6 discovery: FOLLOWERINFO → LEADERINFO(max+1) → ACKEPOCH, with the epoch persisted before the ack. */
class S6DiscoveryTest {
  private static final Timing TIMING = new Timing(2, 8, 60, 20, 3);
  private static final Zxid LAST = Zxid.of(1, 2);

  private static Peer peer(long self, long accepted, long current) {
    return new Peer(new PeerConfig(self, Set.of(1L, 2L, 3L), TIMING, 1024, 100, 10),
        new PersistentState(accepted, current, Zxid.ZERO,
            List.of(new Txn(Zxid.of(1, 1), new byte[0]), new Txn(LAST, new byte[0]))));
  }

  /** Server 1 elected 3 (everyone voted 3) and is now FOLLOWING it. */
  private static Peer followerOf3(long accepted, long current) {
    Peer p = peer(1, accepted, current);
    p.handle(new Event.Start());
    p.handle(vote(2, 3, LAST, 1, current));
    List<Action> out = p.handle(vote(3, 3, LAST, 1, current));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    assertThat(out).containsExactly(new Send(3, new FollowerInfo(accepted, LAST)));
    return p;
  }

  /** Server 3 elected itself with the votes of 1 and 2 and waits for FollowerInfo. */
  private static Peer leader3(long accepted, long current) {
    Peer p = peer(3, accepted, current);
    p.handle(new Event.Start());
    p.handle(vote(1, 3, LAST, 1, current));
    p.handle(vote(2, 3, LAST, 1, current));
    assertThat(p.role()).isEqualTo(Role.LEADING);
    assertThat(p.established()).isFalse();
    return p;
  }

  private static Event from(long sid, io.zab.wire.Message m) {
    return new Event.Received(sid, m);
  }

  @Test
  void followerPersistsNewerEpochBeforeAckingIt() {
    Peer p = followerOf3(1, 1);
    List<Action> out = p.handle(from(3, new LeaderInfo(5)));
    assertThat(out).containsExactly(new SaveAcceptedEpoch(5), new Send(3, new AckEpoch(1, LAST)));
    assertThat(p.acceptedEpoch()).isEqualTo(5);
    assertThat(p.currentEpoch()).isEqualTo(1);
  }

  /**
   * The leader looked again and won again on the same connection: after this follower acked epoch 4, it offers epoch
   * 5 and sends its sync at once (the earlier AckEpoch carries no epoch and was counted). Before, the follower
   * ignored the second LeaderInfo as a duplicate and logged the sync's epoch-5 txns under accepted epoch 4, which
   * its elections then trusted (seed 231762 of the randomized membership run, EpochCoversLog). It now leaves.
   */
  @Test
  void followerLeavesALaterLeadershipOfItsLeaderInsteadOfLoggingItsEpoch() {
    Peer p = followerOf3(1, 1);
    p.handle(from(3, new LeaderInfo(4)));
    List<Action> out = p.handle(from(3, new LeaderInfo(5)));
    assertThat(out).noneMatch(a -> a instanceof SaveAcceptedEpoch
        || a instanceof Send s && s.message() instanceof AckEpoch);
    assertThat(out).contains(new RoleChanged(Role.LOOKING, 0, 1, LAST));
    assertThat(p.acceptedEpoch()).isEqualTo(4);
  }

  /** S6: whatever the order of messages, a follower never logs a txn of an epoch above the one it accepted. */
  @Test
  void followerNeverLogsATxnOfAnEpochItDidNotAccept() {
    Peer p = followerOf3(1, 1);
    p.handle(from(3, new LeaderInfo(4)));
    List<Action> out = p.handle(from(3, new Proposal(List.of(new Txn(Zxid.of(5, 1), new byte[0])))));
    assertThat(out).noneMatch(a -> a instanceof Action.Append);
    assertThat(out).contains(new RoleChanged(Role.LOOKING, 0, 1, LAST));
  }

  @Test
  void followerAcksItsCurrentAcceptedEpochWithoutSavingAgain() {
    Peer p = followerOf3(5, 1);
    assertThat(p.handle(from(3, new LeaderInfo(5)))).containsExactly(new Send(3, new AckEpoch(1, LAST)));
  }

  @Test
  void followerRefusesSmallerEpochAndGoesBackToLooking() {
    Peer p = followerOf3(6, 1);
    List<Action> out = p.handle(from(3, new LeaderInfo(5)));
    assertThat(out).noneMatch(a -> a instanceof Send s && s.message() instanceof AckEpoch);
    assertThat(out).noneMatch(a -> a instanceof SaveAcceptedEpoch);
    assertThat(out).contains(new RoleChanged(Role.LOOKING, 0, 1, LAST));
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    assertThat(p.acceptedEpoch()).isEqualTo(6);
  }

  @Test
  void followerIgnoresLeaderInfoFromAnotherServer() {
    Peer p = followerOf3(1, 1);
    assertThat(p.handle(from(2, new LeaderInfo(5)))).isEmpty();
    assertThat(p.acceptedEpoch()).isEqualTo(1);
  }

  @Test
  void leaderProposesMaxAcceptedEpochPlusOneOnceAQuorumReported() {
    Peer p = leader3(2, 1);
    List<Action> out = p.handle(from(1, new FollowerInfo(7, LAST)));
    assertThat(out).containsExactly(new SaveAcceptedEpoch(8), new Send(1, new LeaderInfo(8)));
    assertThat(p.acceptedEpoch()).isEqualTo(8);
    // a late follower gets the same epoch at once
    assertThat(p.handle(from(2, new FollowerInfo(3, LAST)))).containsExactly(new Send(2, new LeaderInfo(8)));
  }

  @Test
  void leaderUsesItsOwnAcceptedEpochWhenLargest() {
    Peer p = leader3(9, 1);
    assertThat(p.handle(from(1, new FollowerInfo(4, LAST))))
        .containsExactly(new SaveAcceptedEpoch(10), new Send(1, new LeaderInfo(10)));
  }

  @Test
  void leaderAbandonsWhenAFollowerIsAhead() {
    Peer p = leader3(1, 1);
    p.handle(from(1, new FollowerInfo(1, LAST)));
    List<Action> out = p.handle(from(1, new AckEpoch(1, Zxid.of(1, 3))));
    assertThat(out).contains(new RoleChanged(Role.LOOKING, 0, 1, LAST));
    assertThat(p.role()).isEqualTo(Role.LOOKING);

    Peer q = leader3(1, 1);
    q.handle(from(2, new FollowerInfo(2, LAST)));
    q.handle(from(2, new AckEpoch(2, Zxid.of(1, 1)))); // higher currentEpoch, shorter log: still ahead
    assertThat(q.role()).isEqualTo(Role.LOOKING);
  }

  @Test
  void leaderWithFollowerNotAheadStartsSyncAfterAckQuorum() {
    Peer p = leader3(1, 1);
    p.handle(from(1, new FollowerInfo(1, LAST)));
    List<Action> out = p.handle(from(1, new AckEpoch(1, LAST)));
    assertThat(p.role()).isEqualTo(Role.LEADING);
    assertThat(out).anyMatch(a -> a instanceof Send s && s.to() == 1
        && s.message() instanceof NewLeader nl && nl.epoch() == 2);
  }

  /** Two prospective leaders may pick the same epoch; one follower's ack must not count for both. */
  @Test
  void ackOfAFollowerThatAlreadyHeldTheEpochDoesNotCountForTheEpochQuorum() {
    Peer p = leader3(1, 1);
    p.handle(from(1, new FollowerInfo(1, LAST))); // quorum of FollowerInfo: epoch 2
    assertThat(p.handle(from(2, new FollowerInfo(2, LAST)))).containsExactly(new Send(2, new LeaderInfo(2)));
    List<Action> out = p.handle(from(2, new AckEpoch(1, LAST)));
    assertThat(out).as("2 may have accepted epoch 2 from a rival: no quorum yet, no sync").isEmpty();
    out = p.handle(from(1, new AckEpoch(1, LAST)));
    assertThat(out).anyMatch(a -> a instanceof Send s && s.to() == 1 && s.message() instanceof NewLeader);
    assertThat(out).as("once the epoch is this leader's, 2 is synced like any late follower")
        .anyMatch(a -> a instanceof Send s && s.to() == 2 && s.message() instanceof NewLeader);
  }

  @Test
  void followerResendsFollowerInfoUntilLeaderAnswers() {
    Peer p = followerOf3(1, 1);
    int sent = 0;
    for (int i = 0; i < 9; i++) {
      sent += (int) p.handle(new Event.Tick()).stream()
          .filter(a -> a instanceof Send s && s.message() instanceof FollowerInfo).count();
    }
    assertThat(sent).isEqualTo(3); // every pingInterval (3 ticks)
    p.handle(from(3, new LeaderInfo(2)));
    for (int i = 0; i < 9; i++) {
      assertThat(p.handle(new Event.Tick())).noneMatch(a -> a instanceof Send s && s.message() instanceof FollowerInfo);
    }
  }

  @Test
  void clusterStartsTheNewEpochAboveEveryAcceptedEpochOfTheQuorum() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(7, 1, Zxid.ZERO, List.of()))
        .withState(2, new PersistentState(2, 1, Zxid.ZERO, List.of()))
        .withState(3, new PersistentState(3, 1, Zxid.ZERO, List.of()));
    c.start(1, 3); // the quorum is {1, 3}: epoch max(7, 3) + 1
    c.tickUntil(() -> c.allEstablished(1, 3), 50);
    c.start(2);
    c.tickUntil(() -> c.allEstablished(2), 50);
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.peer(sid).currentEpoch()).isEqualTo(8);
      assertThat(c.disk(sid).acceptedEpoch()).isEqualTo(8);
      assertThat(c.disk(sid).currentEpoch()).isEqualTo(8);
    }
  }

  /**
   * Simulation seed 3448: leader 3 lost its epoch-2 leadership while 1 was syncing, then led again in epoch
   * 3 and (AckEpoch carries no epoch) counted 1's ack of LeaderInfo(2). 1 must not ack NEWLEADER(3): it
   * would save currentEpoch 3 above its acceptedEpoch 2, an epoch it never accepted.
   */
  @Test
  void followerRefusesNewLeaderOfAnEpochItDidNotAccept() {
    Peer p = followerOf3(1, 1);
    p.handle(from(3, new LeaderInfo(2)));
    List<Action> out = p.handle(from(3, new NewLeader(3, LAST)));
    assertThat(out).noneMatch(a -> a instanceof SaveCurrentEpoch);
    assertThat(out).noneMatch(a -> a instanceof Send s && s.message() instanceof AckNewLeader);
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    assertThat(p.currentEpoch()).isEqualTo(1);
  }

  /** Once it accepted 3's epoch, 1 leaves when 3 says LOOKING (FIFO: that leadership is over). */
  @Test
  void followerThatAcceptedTheEpochLeavesWhenItsLeaderGoesLooking() {
    Peer p = followerOf3(1, 1);
    p.handle(from(3, new LeaderInfo(2)));
    List<Action> out = p.handle(vote(3, 3, LAST, 2, 1));
    assertThat(out).contains(new RoleChanged(Role.LOOKING, 0, 1, LAST));
  }

  /** Before LeaderInfo, 3's LOOKING votes may predate its own decision: 1 keeps waiting for it. */
  @Test
  void followerInDiscoveryIgnoresItsLeadersLookingVotes() {
    Peer p = followerOf3(1, 1);
    List<Action> out = p.handle(vote(3, 3, LAST, 1, 1));
    assertThat(out).noneMatch(a -> a instanceof RoleChanged);
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
  }

  /**
   * Liveness: 1 accepted epoch 7 from a prospective leader that never got established; 2 and 3 run epoch 4.
   * 1 must never accept the smaller epoch 4 (S6), so the epoch-4 leader steps down when 1's FollowerInfo
   * shows it, and the next election starts epoch 8 (above the 7 it saw), which every voter joins. (Before the fix, 1 looped in
   * LOOKING forever while 3 kept leading epoch 4 with 2.)
   */
  @Test
  void followerThatAcceptedAHigherEpochMakesTheLeaderStepDownAndEveryoneRejoinsAboveIt() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(7, 1, Zxid.ZERO, List.of()))
        .withState(2, new PersistentState(2, 1, Zxid.ZERO, List.of()))
        .withState(3, new PersistentState(3, 1, Zxid.ZERO, List.of()));
    c.start(2, 3);
    c.tickUntil(() -> c.allEstablished(2, 3), 50);
    assertThat(c.peer(3).currentEpoch()).isEqualTo(4);
    c.submit(3, 1, "a");
    c.start(1);
    c.tickUntil(() -> c.allEstablished(1, 2, 3) && c.peer(1).currentEpoch() > 7, 200);
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.peer(sid).currentEpoch()).isEqualTo(8);
      assertThat(c.deliveredZxids(sid)).containsExactly(Zxid.of(4, 1));
    }
    assertThat(c.actionsOf(1)).filteredOn(a -> a instanceof SaveAcceptedEpoch)
        .as("1 never accepts an epoch below 7").allMatch(a -> ((SaveAcceptedEpoch) a).epoch() > 7);
  }
}
