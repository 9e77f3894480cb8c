package io.zab.nemesis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlannerTest {
  private static List<Fault> schedule(long seed, int n) {
    return schedule(seed, n, true);
  }

  private static List<Fault> schedule(long seed, int n, boolean membership) {
    FaultPlanner p = new FaultPlanner(seed, membership);
    List<Fault> f = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      f.add(p.next());
    }
    return f;
  }

  @Test
  void theSameSeedReplaysTheSameSchedule() {
    assertThat(schedule(42, 200)).isEqualTo(schedule(42, 200));
    assertThat(schedule(42, 50)).isNotEqualTo(schedule(43, 50));
  }

  @Test
  void theFirstTenRoundsCoverEveryKind() {
    for (long seed = 0; seed < 20; seed++) {
      Set<String> kinds = new HashSet<>();
      schedule(seed, 10).forEach(f -> kinds.add(f.kind()));
      assertThat(kinds).containsExactlyInAnyOrder("isolate-leader", "isolate-follower", "bridge", "all-cut", "flap",
          "kill", "pause", "snapshot-catch-up", "transfer-leader", "remove-add");
    }
  }

  @Test
  void withoutMembershipFaultsTheFirstEightRoundsCoverTheOtherKindsAndNoneComesLater() {
    for (long seed = 0; seed < 20; seed++) {
      Set<String> kinds = new HashSet<>();
      schedule(seed, 8, false).forEach(f -> kinds.add(f.kind()));
      assertThat(kinds).containsExactlyInAnyOrder("isolate-leader", "isolate-follower", "bridge", "all-cut", "flap",
          "kill", "pause", "snapshot-catch-up");
    }
    assertThat(schedule(3, 300, false)).noneMatch(f -> f instanceof Fault.TransferLeader
        || f instanceof Fault.RemoveAndAdd);
  }

  @Test
  void pausesOutlastTheSyncLimitAndSnapshotFillerOutgrowsTheLeadersMemory() {
    for (Fault f : schedule(7, 500)) {
      if (f instanceof Fault.Pause p) {
        assertThat(p.stoppedMillis()).isGreaterThan(2_000); // syncLimit: 40 ticks of 50 ms
      }
      if (f instanceof Fault.SnapshotCatchUp s) {
        assertThat((long) s.fillerWrites() * s.fillerBytes()).isGreaterThan(8L << 20); // kept after a snapshot
      }
    }
  }

  @Test
  void aHundredPartitionsTakeFewerThanAHundredRoundsOrAFifthMoreWithMembershipFaults() {
    assertThat(roundsForAHundredPartitions(false)).isBetween(40, 100);
    assertThat(roundsForAHundredPartitions(true)).isBetween(40, 120);
  }

  private static int roundsForAHundredPartitions(boolean membership) {
    int partitions = 0;
    int rounds = 0;
    FaultPlanner p = new FaultPlanner(1, membership);
    while (partitions < 100) {
      partitions += p.next().partitions();
      rounds++;
    }
    return rounds;
  }
}
