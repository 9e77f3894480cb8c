package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.FollowerProgress.Phase;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one owner of quorum arithmetic: majorities, and a rule standing in for a joint configuration. */
class QuorumTrackerTest {

  @Test
  void majorityCountsVotersOnlyAndNeedsMoreThanHalf() {
    Configuration c = Configuration.majority(1, Set.of(1L, 2L, 3L, 4L), Set.of(9L));
    assertThat(c.isQuorum(Set.of(1L, 2L))).isFalse();
    assertThat(c.isQuorum(Set.of(1L, 2L, 9L))).as("observers never count").isFalse();
    assertThat(c.isQuorum(Set.of(1L, 2L, 3L))).isTrue();
    assertThat(c.isQuorum(Set.of(5L, 6L, 7L))).as("non-members never count").isFalse();
    assertThat(c.allVoters(Set.of(1L, 2L, 3L, 4L, 9L))).isTrue();
  }

  /** The general rule of {@link Configuration}, for comparison with a configuration's own faster answer. */
  private record General(Configuration c) implements Configuration {
    @Override
    public long version() {
      return c.version();
    }

    @Override
    public Set<Long> voters() {
      return c.voters();
    }

    @Override
    public Set<Long> observers() {
      return c.observers();
    }

    @Override
    public boolean isQuorum(Set<Long> sids) {
      return c.isQuorum(sids);
    }
  }

  @Test
  void majorityAnswersWhatTheGeneralRuleAnswers() {
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(7);
      Set<Long> voters = new java.util.TreeSet<>();
      for (long v = 1; v <= n; v++) {
        voters.add(v);
      }
      Configuration majority = Configuration.majority(1, voters, Set.of(9L));
      java.util.Map<Long, Long> values = new java.util.TreeMap<>();
      for (long sid = 1; sid <= n + 2; sid++) { // some voters missing, plus an observer and a non-member
        if (random.nextInt(4) > 0) {
          values.put(sid == n + 1 ? 9L : sid, (long) random.nextInt(5));
        }
      }
      assertThat(majority.highestHeldByQuorum(values, java.util.Comparator.naturalOrder()))
          .as("voters %s, values %s", voters, values)
          .isEqualTo(new General(majority).highestHeldByQuorum(values, java.util.Comparator.naturalOrder()));
    }
  }

  @Test
  void theLeaderCountsItselfWithItsOwnDurableMark() {
    QuorumTracker t = synced(Configuration.majority(1, Set.of(1L, 2L, 3L), Set.of()), 3);
    t.get(1).acked = Zxid.of(1, 7);
    t.get(2).acked = Zxid.of(1, 5);
    assertThat(t.quorumDurable(Zxid.of(1, 4))).isEqualTo(Zxid.of(1, 5));
    assertThat(t.quorumDurable(Zxid.of(1, 9))).isEqualTo(Zxid.of(1, 7));
    t.get(1).phase = Phase.SYNCING; // not synced: its ack does not count for commits
    assertThat(t.quorumDurable(Zxid.of(1, 9))).isEqualTo(Zxid.of(1, 5));
  }

  @Test
  void aJointRuleNeedsBothQuorumsWithoutChangingTheCallers() {
    Configuration old = Configuration.majority(1, Set.of(1L, 2L, 3L), Set.of());
    Configuration next = Configuration.majority(2, Set.of(3L, 4L, 5L), Set.of());
    QuorumTracker t = synced(new Configuration.Joint(old, next), 3);
    t.get(1).acked = Zxid.of(1, 9);
    t.get(2).acked = Zxid.of(1, 9);
    t.get(4).acked = Zxid.of(1, 2);
    t.get(5).acked = Zxid.of(1, 1);
    // old side {1,2,3} holds 9, but the new side {3,4,5} holds at most 2 with the leader (3) at 9
    assertThat(t.quorumDurable(Zxid.of(1, 9))).isEqualTo(Zxid.of(1, 2));
    assertThat(t.hasQuorum(p -> p.sid == 1)).as("the leader and 1: a quorum of the old voters only").isFalse();
    assertThat(t.hasQuorum(p -> p.sid == 1 || p.sid == 4)).isTrue();
  }

  /**
   * Issue 11: whether a member counts is per member, from the configuration in force; members it no longer lists,
   * and servers tracked outside it (learners), are streamed to but never counted.
   */
  @Test
  void reconfiguringMovesWhoCountsAndKeepsTheServersOutsideUncounted() {
    QuorumTracker t = synced(Configuration.majority(0, Set.of(1L, 2L, 3L), Set.of()), 1);
    Progress learner = t.track(4, Set.of());
    learner.join(0, Zxid.ZERO, false, 0);
    learner.phase = Phase.SYNCED;
    learner.acked = Zxid.of(1, 9);
    assertThat(t.outside(4)).isTrue();
    assertThat(t.hasQuorum(p -> p.sid == 4)).as("a learner never counts").isFalse();

    t.reconfigure(Configuration.majority(5, Set.of(1L, 4L), Set.of(2L)), Set.of());
    assertThat(t.outside(4)).isFalse();
    assertThat(t.get(4).voter).isTrue();
    assertThat(t.get(2).voter).as("demoted to observer").isFalse();
    assertThat(t.get(3).voter).as("removed, still tracked until the leader drops it").isFalse();
    assertThat(t.outside(3)).isTrue();
    assertThat(t.hasQuorum(p -> p.sid == 4)).isTrue();
    assertThat(t.quorumDurable(Zxid.of(1, 9))).isEqualTo(Zxid.of(1, 9));
    t.remove(3);
    assertThat(t.get(3)).isNull();
  }

  @Test
  void readBarrierRoundsNeedAQuorumOfEchoes() {
    QuorumTracker t = synced(Configuration.majority(1, Set.of(1L, 2L, 3L, 4L, 5L), Set.of()), 1);
    t.get(2).echoedRound = 4;
    assertThat(t.quorumEchoedRound(4)).as("2 of 5 echoed 4, the rest nothing yet").isEqualTo(0);
    t.get(3).echoedRound = 3;
    assertThat(t.quorumEchoedRound(4)).isEqualTo(3);
    t.all().forEach(p -> p.phase = Phase.INFO);
    assertThat(t.quorumEchoedRound(4)).as("no synced follower: no quorum").isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void viewsAreSnapshotsOfEveryOtherMember() {
    QuorumTracker t = new QuorumTracker(Configuration.majority(1, Set.of(1L, 2L, 3L), Set.of()), 2, Set.of(3L));
    t.get(3).join(0, Zxid.ZERO, false, 5);
    List<FollowerProgress> views = t.views(8);
    assertThat(views).extracting(FollowerProgress::sid).containsExactly(1L, 3L);
    assertThat(views.get(0).phase()).isEqualTo(Phase.NONE);
    assertThat(views.get(1)).extracting(FollowerProgress::connected, FollowerProgress::phase,
        FollowerProgress::ticksSinceHeard).containsExactly(true, Phase.INFO, 3L);
    t.get(3).phase = Phase.SYNCED;
    assertThat(views.get(1).phase()).as("a snapshot").isEqualTo(Phase.INFO);
  }

  @Test
  void anEstablishedLeaderReportsItsFollowers() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    assertThat(c.peer(3).followers()).extracting(FollowerProgress::sid, FollowerProgress::phase)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, Phase.SYNCED), org.assertj.core.groups.Tuple.tuple(2L, Phase.SYNCED));
    assertThat(c.peer(1).followers()).as("only a leader tracks followers").isEmpty();
  }

  private static QuorumTracker synced(Configuration c, long self) {
    QuorumTracker t = new QuorumTracker(c, self, c.voters());
    for (Progress p : t.all()) {
      p.join(0, Zxid.ZERO, false, 0);
      p.phase = Phase.SYNCED;
    }
    return t;
  }
}
