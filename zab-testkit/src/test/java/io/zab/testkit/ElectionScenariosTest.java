package io.zab.testkit;

import static io.zab.testkit.ZabAssertions.assertThat;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.testkit.sim.KvStateMachine;
import io.zab.testkit.sim.SimRequest;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's election scenarios (S3, S4, S5.2, S10) and failover, written with the scenario API. */
class ElectionScenariosTest {

  private static SimCluster cluster(int servers) {
    return SimCluster.builder().servers(servers).seed(42).stateMachine(KvStateMachine::new).build();
  }

  private static byte[] put(String key, String value) {
    return KvStateMachine.put(key, value);
  }

  @Test
  void s3_fiveServersStartedOneByOne_thirdLeads_laterOnesFollowIt() {
    SimCluster cluster = cluster(5);
    cluster.start(1).advanceTime(ofSeconds(2));
    assertThat(cluster).hasNoLeader();
    cluster.start(2).advanceTime(ofSeconds(2));
    assertThat(cluster).hasNoLeader();
    cluster.start(3).runUntilLeaderElected();
    assertThat(cluster).hasLeader(3).withFollowers(1, 2);

    cluster.start(4).advanceTime(ofSeconds(2));
    cluster.start(5).runUntilStable();
    assertThat(cluster).hasLeader(3).withFollowers(1, 2, 4, 5).hasNoViolations();
  }

  @Test
  void s4_afterHistory_theMostUpToDateServerWinsOverALargerSid() {
    SimCluster cluster = cluster(3);
    cluster.startAll().runUntilStable();
    assertThat(cluster).hasLeader(3).withFollowers(1, 2);   // equal zxids: the largest sid

    cluster.crash(3).runUntilLeaderElected();
    assertThat(cluster).hasLeader(2).withFollowers(1);
    SimRequest write = cluster.await(cluster.submit(2, put("k", "v1")));
    assertThat(write.status()).as("%s", write).isEqualTo(SimRequest.Status.COMPLETED);

    // 1 now has a newer zxid than 3; with 2 down, 1 must win although 3 has the larger sid (S4: zxid first).
    cluster.stop(1).stop(2);
    assertThat(cluster.simulation().server(3).disk().lastZxid()).isLessThan(write.zxid());   // 3 missed it
    cluster.start(3, 1).runUntilLeaderElected();
    assertThat(cluster).hasLeader(1).withFollowers(3);

    // 2 (larger sid, same history) joins later and follows the established leader (S3, second half).
    cluster.start(2).runUntilStable();
    assertThat(cluster).hasLeader(1).withFollowers(2, 3).hasCommitted(put("k", "v1")).hasConverged();
  }

  @Test
  void s5_2_aServerInAnOlderRoundAdoptsTheNewerRoundAndItsBestVote() {
    SimCluster cluster = cluster(3);
    cluster.startAll().runUntilStable();
    cluster.crash(3).runUntilLeaderElected();                 // 1 and 2: a second election round
    cluster.await(cluster.submit(2, put("k", "v1")));
    cluster.crash(2).advanceTime(ofSeconds(3));               // 1 alone: LOOKING in a third round
    long roundOf1 = cluster.notifications().stream().filter(n -> n.from() == 1)
        .mapToLong(n -> ((io.zab.wire.Message.Notification) n.message()).round()).max().orElseThrow();
    long restartedAt = cluster.simulation().now();

    cluster.restart(3).runUntilLeaderElected();               // 3 restarts in round 1
    assertThat(cluster).hasLeader(1).withFollowers(3);       // 1's newer zxid wins (S4)
    assertThat(roundOf1).isGreaterThanOrEqualTo(3);
    // S5.2: 3 saw a vote from a newer round, took that round and re-voted for the better candidate.
    assertThat(cluster.notifications()).anySatisfy(n -> {
      assertThat(n.from()).isEqualTo(3);
      assertThat(n.timeMicros()).isGreaterThanOrEqualTo(restartedAt);
      io.zab.wire.Message.Notification v = (io.zab.wire.Message.Notification) n.message();
      assertThat(v.round()).isEqualTo(roundOf1);
      assertThat(v.leader()).isEqualTo(1);
    });
  }

  @Test
  void s10_aMinorityPartitionCannotCommit() {
    SimCluster cluster = cluster(5);
    cluster.startAll().runUntilStable();
    assertThat(cluster).hasLeader(5).withFollowers(1, 2, 3, 4);

    cluster.partition(Set.of(4L, 5L), Set.of(1L, 2L, 3L));
    SimRequest minority = cluster.submit(5, put("k", "minority"));
    cluster.advanceTime(ofSeconds(5));
    assertThat(minority.status()).isNotEqualTo(SimRequest.Status.COMPLETED);

    cluster.runUntilLeaderElected();                          // the majority side elects 3
    assertThat(cluster).hasLeader(3).withFollowers(1, 2);
    SimRequest majority = cluster.await(cluster.submit(1, put("k", "majority")));
    assertThat(majority.status()).as("%s", majority).isEqualTo(SimRequest.Status.COMPLETED);

    cluster.heal().runUntilStable();
    assertThat(cluster).hasLeader(3).withFollowers(1, 2, 4, 5).hasConverged()
        .hasCommitted(put("k", "majority")).hasNotCommitted(put("k", "minority"));
    KvStateMachine state = cluster.stateMachine(5);
    assertThat(state.get("k")).isEqualTo("majority");
  }

  @Test
  void failover_picksTheMostUpToDateServer() {
    SimCluster cluster = cluster(5);
    cluster.startAll().runUntilStable();
    cluster.partition(Set.of(3L, 4L), Set.of(1L, 2L, 5L));    // 5 keeps a quorum with 1 and 2
    for (int i = 0; i < 5; i++) {
      SimRequest w = cluster.await(cluster.submit(5, put("k", "v" + i)));
      assertThat(w.status()).as("%s", w).isEqualTo(SimRequest.Status.COMPLETED);
    }
    cluster.crash(5).heal().runUntilLeaderElected();
    // 1 and 2 hold the newest txns; 3 and 4 do not: 2 (largest sid among the up-to-date) must lead.
    assertThat(cluster).hasLeader(2);
    cluster.runUntilStable();
    assertThat(cluster).hasLeader(2).withFollowers(1, 3, 4).hasConverged().hasCommitted(put("k", "v4"));
    KvStateMachine state = cluster.stateMachine(4);
    assertThat(state.get("k")).isEqualTo("v4");
    assertThat(new String(cluster.committed().get(cluster.committed().size() - 1).data(), StandardCharsets.UTF_8))
        .isEqualTo("k=v4");
  }

  @Test
  void aBridgeServerKeepsTwoSidesThatCannotTalkInOneQuorum() {
    SimCluster cluster = cluster(5);
    cluster.startAll().runUntilStable();
    cluster.partition(Set.of(1L, 2L), Set.of(4L, 5L));      // 3 still reaches everyone
    cluster.advanceTime(ofSeconds(5)).runUntilLeaderElected();
    SimRequest w = cluster.await(cluster.submit(3, put("k", "bridged")));
    assertThat(w.status()).as("%s", w).isEqualTo(SimRequest.Status.COMPLETED);
    cluster.heal().runUntilStable();
    assertThat(cluster).hasConverged().hasCommitted(put("k", "bridged")).hasNoViolations();
  }
}
