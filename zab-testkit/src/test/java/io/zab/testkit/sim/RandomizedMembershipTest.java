package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the randomized simulation with membership changes (add and remove voters and observers, promote, demote,
 * replace, move to another address, hand leadership over; asked on random servers, from the configuration each sees)
 * during crashes, power losses, partitions, pauses, epoch-file faults, pressure and lost unsynced writes, among five
 * servers of which one, three or five vote at first. Every invariant of {@link RandomizedSimulationTest} is checked
 * after every step, and {@link MembershipCheck}'s: no two disjoint majorities of two configurations in force at once,
 * observers and non-members never counted in a commit, removed members take no part. Prints {@code sim-membership:
 * seeds=N changes_asked=A changes_completed=C stranded=S unreachable=U stuck=K events=E faults=F sim_time_s=T
 * violations=V lin_checked=L lin_illegal=I wall_s=W}.
 *
 * <p>Any safety violation, any non-linearizable history, and any seed whose cluster did not recover within 30 s of
 * healing (Liveness, counted as {@code stuck} and printed with its seed) fails the test. {@code stranded} counts the
 * servers that missed a change adding a member and learned its address from election notifications; the run waits
 * for them to rejoin like every other member. {@code unreachable} counts members that nothing can reach any more
 * (no server they list lists them: every server they knew was removed while they were away); the run does not wait
 * for those.
 *
 * <p>{@code -Dzab.sim.membershipSeeds=N} runs N seeds from {@code -Dzab.sim.firstSeed} (default 1; the build passes
 * 2,000, see the pom; the long run passes 20,000); {@code -Dzab.sim.membershipSeed=S} replays seed S and prints
 * its trace.
 */
class RandomizedMembershipTest {
  @Test
  void membershipChangesUnderFaultsBreakNoInvariant() {
    String only = System.getProperty("zab.sim.membershipSeed");
    boolean replay = only != null && !only.isBlank();
    long first = replay ? Long.parseLong(only.trim()) : Long.getLong("zab.sim.firstSeed", 1);
    long count = replay ? 1 : Long.getLong("zab.sim.membershipSeeds", 20);
    SeedTotals t = new SeedTotals();
    List<Long> failed = new ArrayList<>();
    List<Long> stuck = new ArrayList<>();
    for (long seed = first; seed < first + count; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol::factory, RandomRun.Options.withMembershipChanges());
      t.add(r);
      boolean onlyLiveness = !r.violations().isEmpty()
          && r.violations().stream().allMatch(v -> v.check().equals("Liveness"))
          && (r.linearizability() == null || !r.linearizability().illegal());
      if (onlyLiveness && !replay) {
        stuck.add(seed);
        System.out.println("sim-membership: seed " + seed + " stuck: " + r.violations().get(0));
      } else if (r.failed() || replay) {
        if (r.failed()) {
          failed.add(seed);
        }
        System.out.println(r.report().replace("-Dtest=RandomizedSimulationTest -Dzab.sim.seed=",
            "-Dtest=RandomizedMembershipTest -Dzab.sim.membershipSeed="));
      }
    }
    System.out.printf("sim-membership: seeds=%d changes_asked=%d changes_completed=%d stranded=%d unreachable=%d stuck=%d"
        + " events=%d faults=%d sim_time_s=%.0f violations=%d lin_checked=%d lin_illegal=%d wall_s=%.1f%n", count,
        t.changesAsked, t.changesCompleted, t.stranded, t.unreachable, stuck.size(), t.events, t.faults, t.simSeconds(),
        t.violations, t.linChecked, t.linIllegal, t.wallSeconds());
    assertThat(failed).as("seeds that broke a safety invariant (replay each with -Dzab.sim.membershipSeed=S)")
        .isEmpty();
    assertThat(stuck).as("seeds that did not recover within 30 s of healing (replay each with"
        + " -Dzab.sim.membershipSeed=S)").isEmpty();
    if (!replay) { // one replayed seed may complete no change (a stall found before any change completed)
      assertThat(t.changesCompleted).as("membership changes actually happened").isGreaterThan(count);
    }
  }

  /**
   * Seeds that stalled for good before the fixes they found: 112 (a voter demoted by an uncommitted change stopped
   * voting while the last voter needed its vote), 190 (an observer waited on a stale "following" answer of the
   * server that had since become the leader), and the stuck seeds of the build's 2,000 fixed by the patterns of
   * docs/protocol.md, "known gaps" (each with its own deterministic test in zab-core's MembershipLivenessTest): 3 (a
   * member whose membership lists the leader as an observer), 197 (the same, an observer), 287 (a new voter that
   * missed its promotion), 591 and 1867 (a leader removing itself, dropped by its followers), 610, 1157 (a tie under a
   * joint membership), 1330 (writes held without end); and those of stranded members (docs/protocol.md, "Stranded
   * members"): 870 and 904 (a member that missed the change adding the candidate or the leader), 1473 and 1554 (a
   * voter the joint quorum needed that did not know the candidate's address); and those of the long run's 20,000 where
   * the holders of a removal's JOINT txn and of its STABLE txn broke a tie between a removed and a kept voter
   * differently (MembershipLivenessTest.S4_aRemovedVoterTiedWithAStayingOneDoesNotSplitTheVote): 4935, 5983, 6554,
   * 7141, 11046; and those of the seeds past 20,000 where the holders of an addition's JOINT txn and of its STABLE txn
   * broke a tie between an added and a kept voter differently
   * (MembershipLivenessTest.S4_serversOnEitherSideOfTheLastTxnOfAnAddedVoterRankTiesAlike): 22213, 23969, 28657;
   * 8250 (a server removed and added back as an observer could reach only an observer, which it never asked:
   * StrandedMemberTest.aRemovedServerAddedBackAsAnObserverFindsTheLeaderThroughAnObserverItKnows); 39921 (a leader
   * whose followers were removed with a read barrier round in flight never answered a barrier again:
   * ReadBarrierConfirmationTest.aRoundIsConfirmedByTheQuorumOfTheMembershipInForceWhenItsFollowersAreRemoved).
   * And 231762 and 211617, a safety invariant rather than a stall: a follower logged the sync of a later leadership
   * of its leader, of an epoch it never accepted (S6DiscoveryTest.followerLeavesALaterLeadershipOfItsLeaderInstead
   * OfLoggingItsEpoch). They recover now, and break no invariant.
   */
  @Test
  void seedsThatFoundElectionStallsRecover() {
    for (long seed : new long[] {112, 190, 3, 197, 287, 591, 610, 1157, 1330, 1867, 870, 904, 1473, 1554,
        4935, 5983, 6554, 7141, 11046, 22213, 23969, 28657, 8250, 39921,
        231762, 211617}) {
      RunResult r = RandomRun.run(seed, PeerProtocol::factory, RandomRun.Options.withMembershipChanges());
      assertThat(r.violations()).as("seed %d", seed).isEmpty();
    }
  }
}
