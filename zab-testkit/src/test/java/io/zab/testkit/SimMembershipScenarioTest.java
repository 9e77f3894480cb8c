package io.zab.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.testkit.sim.KvStateMachine;
import io.zab.testkit.sim.SimRequest;
import io.zab.wire.Message.RejectCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's scenario API on the simulator ({@link SimCluster}): the same stories as {@link MembershipStoriesTest},
 * deterministic, with every simulator invariant (the membership ones included) checked at every step.
 */
class SimMembershipScenarioTest {
  private static SimCluster threeOfFive(long seed) {
    SimCluster cluster = SimCluster.builder().servers(5).initialVoters(3).seed(seed)
        .stateMachine(KvStateMachine::new).build();
    cluster.startAll().runUntilStable();
    return cluster;
  }

  /** Servers 4 and 5 wait without a vote until added; grow 3 → 5 voters (R2, R3), then shrink back to 3. */
  @Test
  void growThreeToFiveThenShrinkBack() {
    SimCluster cluster = threeOfFive(11);
    assertThat(cluster.role(4)).isEqualTo(Role.LOOKING);
    cluster.await(cluster.submit(1, KvStateMachine.put("k", "before")));
    assertThat(cluster.addVoter(4).status()).isEqualTo(SimRequest.Status.COMPLETED);
    assertThat(cluster.addVoter(5).status()).isEqualTo(SimRequest.Status.COMPLETED);
    cluster.runUntilStable();
    assertThat(cluster.configuration(cluster.establishedLeader()).voterIds()).containsExactly(1L, 2L, 3L, 4L, 5L);
    KvStateMachine five = cluster.stateMachine(5);
    assertThat(five.get("k")).isEqualTo("before");

    long leader = cluster.establishedLeader();
    long[] leaving = leader == 1 ? new long[] {2, 3} : new long[] {1, leader == 2 ? 3 : 2};
    assertThat(cluster.removeMember(leaving[0]).status()).isEqualTo(SimRequest.Status.COMPLETED);
    assertThat(cluster.removeMember(leaving[1]).status()).isEqualTo(SimRequest.Status.COMPLETED);
    cluster.runUntilStable();
    ClusterConfiguration c = cluster.configuration(cluster.establishedLeader());
    assertThat(c.voterIds()).hasSize(3).doesNotContain(leaving[0], leaving[1]);
    // a removed server takes no part: it never votes or follows as a voter (RemovedStaysOut checks it every step);
    // it may try to join as a non-member, which the leader refuses
    assertThat(cluster.role(leaving[0])).as("a removed server takes no part").isIn(Role.LOOKING, Role.OBSERVING);
    assertThat(cluster.violations()).isEmpty();
  }

  /** An observer follows without counting; a transfer hands leadership to the voter named. */
  @Test
  void anObserverAndALeadershipTransfer() {
    SimCluster cluster = threeOfFive(12);
    assertThat(cluster.addObserver(4).status()).isEqualTo(SimRequest.Status.COMPLETED);
    cluster.runUntilStable();
    assertThat(cluster.role(4)).isEqualTo(Role.OBSERVING);
    SimRequest viaObserver = cluster.await(cluster.submit(4, KvStateMachine.put("o", "forwarded")));
    assertThat(viaObserver.status()).isEqualTo(SimRequest.Status.COMPLETED);

    long leader = cluster.establishedLeader();
    long target = leader == 3 ? 2 : 3;
    assertThat(cluster.transferLeadership(target, Duration.ofSeconds(5)).status())
        .isEqualTo(SimRequest.Status.COMPLETED);
    cluster.runUntilLeaderElected();
    assertThat(cluster.establishedLeader()).isEqualTo(target);
    SimRequest toObserver = cluster.transferLeadership(4, Duration.ofSeconds(2));
    assertThat(toObserver.rejectCode()).as("an observer cannot lead").isEqualTo(RejectCode.TRANSFER_FAILED);
    assertThat(cluster.violations()).isEmpty();
  }

  /** Compare-and-set (R1): a change derived from a configuration that moved on is refused, naming it stale. */
  @Test
  void aStaleChangeIsRefused() {
    SimCluster cluster = threeOfFive(13);
    long leader = cluster.establishedLeader();
    ClusterConfiguration read = cluster.configuration(leader);
    assertThat(cluster.addObserver(4).status()).isEqualTo(SimRequest.Status.COMPLETED);
    SimRequest stale = cluster.await(cluster.reconfigure(leader, read.withObserver(Member.local(5)),
        Duration.ofSeconds(10)));
    assertThat(stale.rejectCode()).isEqualTo(RejectCode.STALE_CONFIGURATION);
    assertThat(cluster.configuration(leader).observerIds()).containsExactly(4L);
  }

  /**
   * R4 on the simulator: the leader removes itself; the change completes on it (it commits before the hand-over, and
   * the followers keep their connection to it until they know that), the most up-to-date remaining voter leads, and
   * the removed server takes no part. Asked on the leader and, forwarded, on a follower.
   */
  @Test
  void aLeaderThatRemovesItselfHandsOverAndTheChangeCompletes() {
    for (boolean askTheLeader : new boolean[] {true, false}) {
      SimCluster cluster = SimCluster.builder().servers(3).seed(askTheLeader ? 14 : 15)
          .stateMachine(KvStateMachine::new).build();
      cluster.startAll().runUntilStable();
      long leader = cluster.establishedLeader();
      cluster.await(cluster.submit(leader, KvStateMachine.put("k", "before")));
      long asked = askTheLeader ? leader : leader == 1 ? 2 : 1;
      SimRequest change = cluster.await(cluster.reconfigure(asked, cluster.configuration(leader).without(leader),
          Duration.ofSeconds(10)));
      assertThat(change.status()).as("asked on %d: %s", asked, change).isEqualTo(SimRequest.Status.COMPLETED);
      cluster.runUntilStable();
      long next = cluster.establishedLeader();
      assertThat(next).isNotEqualTo(leader);
      assertThat(cluster.configuration(next).voterIds()).hasSize(2).doesNotContain(leader).contains(next);
      assertThat(cluster.role(leader)).isEqualTo(Role.LOOKING);
      assertThat(cluster.await(cluster.submit(next, KvStateMachine.put("k", "after"))).status())
          .isEqualTo(SimRequest.Status.COMPLETED);
      assertThat(cluster.violations()).isEmpty();
    }
  }
}
