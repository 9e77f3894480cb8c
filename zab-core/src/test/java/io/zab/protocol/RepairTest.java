package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.Send;
import io.zab.protocol.FollowerProgress.Phase;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Message.Notification;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Repair of a damaged log (docs/protocol.md, repair): a server that lost records it may have acknowledged neither
 * votes nor counts in any quorum (S6 discovery, S7 NEWLEADER, S8 commits, S5 elections) until a leader elected by the
 * others has synced it past what it lost; then it votes again by itself. Safety with at most f faulty servers,
 * counting damaged ones: S10 (a minority never commits) and no committed txn lost.
 */
class RepairTest {

  /**
   * The reason for the rule: 1 acknowledged b and c (committed with it) and lost them; 2 never had them. If 1 voted,
   * 1 and 2 would elect a leader without b and c and lose two committed writes. It does not: nobody is elected until 3
   * (which has them) is back, and then 1 is repaired with them.
   */
  @Test
  void aRepairingServerDoesNotVoteSoTheOthersCannotElectALeaderThatLostCommittedTxns() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    assertThat(c.leaders()).containsExactly(3L);
    c.submit(3, 1, "a");
    c.pause(3, 2); // 2 misses b and c, committed with 1's acks
    c.submit(3, 2, "b");
    c.submit(3, 3, "c");
    assertThat(c.answers.get(3L)).hasSize(3);
    List<Zxid> committed = List.of(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3));

    c.crash(3);
    c.crash(1);
    c.disk(1).damageKeeping(1); // found at start: b and c are set aside
    c.restart(1);
    assertThat(c.peer(1).repairing()).isEqualTo(new RepairPoint(Zxid.of(1, 3), 1));
    c.ticks(300);
    assertThat(c.leaders()).as("2 alone is no quorum: 1 does not vote while repairing").isEmpty();
    assertThat(c.peer(1).role()).isEqualTo(Role.LOOKING);
    assertThat(c.peer(2).role()).isEqualTo(Role.LOOKING);
    List<Notification> votes = c.sent(1, 2).stream().filter(m -> m instanceof Notification)
        .map(m -> (Notification) m).toList();
    assertThat(votes.get(votes.size() - 1).voting()).as("its notifications say it does not vote").isFalse();

    c.resume(3, 2);
    c.restart(3);
    c.tickUntil(() -> c.allEstablished(1, 2, 3) && c.peer(1).repairing() == null, 300);
    assertThat(c.leaders()).containsExactly(3L);
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.disk(sid).log()).extracting(Txn::zxid).containsAll(committed);
    }
    assertThat(c.disk(1).repairing).as("the marker is cleared durably").isNull();
    assertThat(c.peer(1).role()).isEqualTo(Role.FOLLOWING);
  }

  @Test
  void aDamagedFollowerRepairsAsAnObserverAndThenVotesAgainByItself() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    for (int i = 1; i <= 5; i++) {
      c.submit(3, i, "w" + i);
    }
    c.crash(1);
    c.disk(1).damageKeeping(2);
    c.restart(1);
    c.tickUntil(() -> c.allEstablished(1) && c.peer(1).repairing() == null, 300);

    List<Role> roles = c.actionsOf(1).stream().filter(a -> a instanceof RoleChanged).map(a -> ((RoleChanged) a).role())
        .toList();
    assertThat(roles).as("synced as a non-voter first, then a voter").containsSubsequence(Role.OBSERVING,
        Role.LOOKING, Role.FOLLOWING);
    assertThat(c.actionsOf(1)).filteredOn(a -> a instanceof Action.RepairDone).hasSize(1);
    assertThat(c.disk(1).log()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3),
        Zxid.of(1, 4), Zxid.of(1, 5));
    c.submit(3, 6, "w6");
    assertThat(c.disk(1).log()).hasSize(6);
  }

  @Test
  void aRestartDuringTheRepairKeepsTheServerWithoutAVote() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.submit(3, 1, "a");
    c.submit(3, 2, "b");
    c.crash(1);
    c.disk(1).damageKeeping(0);
    c.partition(Set.of(1L)); // it cannot reach a leader: the repair cannot finish
    c.restart(1);
    c.ticks(50);
    c.crash(1);
    c.restart(1);
    assertThat(c.peer(1).repairing()).as("the marker outlives restarts").isEqualTo(new RepairPoint(Zxid.of(1, 2), 1));
    c.heal();
    c.tickUntil(() -> c.allEstablished(1) && c.peer(1).repairing() == null, 300);
    assertThat(c.disk(1).log()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2));
  }

  /**
   * A repairing server takes part in no election, also where a server that an uncommitted change demotes still
   * does (Replica.electionVoter): found when the repair and the membership work met (the randomized membership
   * simulation elected a repairing server, RepairNoVote).
   */
  @Test
  void aRepairingServerThatAnUncommittedChangeDemotesTakesPartInNoElection() {
    ClusterConfiguration three = ClusterConfiguration.of(List.of(Member.local(1), Member.local(2), Member.local(3)));
    ClusterConfiguration next = ClusterConfiguration.of(List.of(Member.local(1), Member.local(2), Member.local(4)));
    List<Txn> log = List.of(new Txn(Zxid.of(1, 1), "x".getBytes()),
        new Txn(Zxid.of(1, 2), Txn.Kind.CONFIG, MembershipCodec.encode(Membership.joint(three, next))),
        new Txn(Zxid.of(1, 3), Txn.Kind.CONFIG, MembershipCodec.encode(Membership.stable(next.withVersion(
            Zxid.of(1, 3).value())))));
    PersistentState state = new PersistentState(1, 1, Zxid.ZERO, log);
    PeerConfig config = PeerConfig.of(3, Set.of(1L, 2L, 3L));
    assertThat(new Replica(config, state, 1).electionVoter()).as("healthy, the demoted server still takes part")
        .isTrue();
    assertThat(new Replica(config, state.withRepair(new RepairPoint(Zxid.of(1, 3), 1)), 1).electionVoter())
        .as("repairing").isFalse();
  }

  /** S6: a FollowerInfo that says "not voting" does not make a discovery quorum, so no epoch is proposed. */
  @Test
  void aProspectiveLeaderDoesNotCountARepairingFollowerInDiscovery() {
    for (boolean voting : List.of(true, false)) {
      Peer leader = new Peer(PeerConfig.of(1, Set.of(1L, 2L, 3L)), PersistentState.empty());
      leader.handle(new Event.Start());
      leader.handle(new Event.PeerConnected(2));
      leader.handle(new Event.Received(2, new Notification(Role.LOOKING, 1, Zxid.ZERO, 1, 0)));
      for (int i = 0; i < 10 && leader.role() != Role.LEADING; i++) {
        leader.handle(new Event.Tick());
      }
      assertThat(leader.role()).isEqualTo(Role.LEADING);
      List<Action> out = leader.handle(new Event.Received(2, new FollowerInfo(0, Zxid.ZERO, voting)));
      assertThat(out).as("voting=" + voting).filteredOn(a -> a instanceof Send s && s.message() instanceof LeaderInfo)
          .hasSize(voting ? 1 : 0);
    }
  }

  /** S5: a vote from a repairing voter is not tallied, so it cannot make a quorum for anyone. */
  @Test
  void aNotVotingNotificationDoesNotCountForAQuorum() {
    for (boolean voting : List.of(true, false)) {
      Peer p = new Peer(PeerConfig.of(1, Set.of(1L, 2L, 3L)), PersistentState.empty());
      p.handle(new Event.Start());
      p.handle(new Event.Received(2, new Notification(Role.LOOKING, 1, Zxid.ZERO, 1, 0, voting)));
      for (int i = 0; i < 10; i++) {
        p.handle(new Event.Tick());
      }
      assertThat(p.role()).as("voting=" + voting).isEqualTo(voting ? Role.LEADING : Role.LOOKING);
    }
  }

  /** S8: acks of a follower that abstains do not count for commits, nor its echoes for read barriers. */
  @Test
  void anAbstainingFollowerCountsInNoQuorumOfTheLeader() {
    QuorumTracker t = new QuorumTracker(Configuration.majority(0, Set.of(1L, 2L, 3L), Set.of()), 1, Set.of(2L, 3L));
    for (Progress p : t.all()) {
      p.join(0, Zxid.ZERO, p.sid == 2, 0);
      p.phase = Phase.SYNCED;
      p.acked = Zxid.of(1, 5);
      p.echoedRound = 4;
    }
    assertThat(t.quorumDurable(Zxid.of(1, 9))).isEqualTo(Zxid.of(1, 5)); // 1 and 3
    t.get(3).phase = Phase.SYNCING;
    assertThat(t.quorumDurable(Zxid.of(1, 9))).as("2 abstains, 3 is not synced").isNull();
    assertThat(t.quorumEchoedRound(9)).isEqualTo(Long.MIN_VALUE);
    assertThat(t.hasQuorum(Progress::synced)).as("2 alone with 1: no quorum").isFalse();
  }

  @Test
  void theRepairEndsOnlyPastWhatWasLostOrUnderANewerEpoch() {
    RepairPoint p = new RepairPoint(Zxid.of(3, 7), 3);
    assertThat(p.passedBy(3, Zxid.of(3, 6))).isFalse();
    assertThat(p.passedBy(3, Zxid.of(3, 7))).isTrue();
    assertThat(p.passedBy(4, Zxid.of(2, 1))).as("an established leader of a newer epoch holds every committed txn")
        .isTrue();
    assertThat(p.merge(new RepairPoint(Zxid.of(2, 9), 5))).isEqualTo(new RepairPoint(Zxid.of(3, 7), 5));
  }
}
