package io.zab.nemesis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlannerTest {
  private static List<Fault> schedule(long seed, int n) {
    FaultPlanner p = new FaultPlanner(seed);
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
  void theFirstEightRoundsCoverEveryKind() {
    for (long seed = 0; seed < 20; seed++) {
      Set<String> kinds = new HashSet<>();
      schedule(seed, 8).forEach(f -> kinds.add(f.kind()));
      assertThat(kinds).containsExactlyInAnyOrder("isolate-leader", "isolate-follower", "bridge", "all-cut", "flap",
          "kill", "pause", "snapshot-catch-up");
    }
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
  void aHundredPartitionsTakeFewerThanAHundredRounds() {
    int partitions = 0;
    int rounds = 0;
    FaultPlanner p = new FaultPlanner(1);
    while (partitions < 100) {
      partitions += p.next().partitions();
      rounds++;
    }
    assertThat(rounds).isBetween(40, 100);
  }
}
