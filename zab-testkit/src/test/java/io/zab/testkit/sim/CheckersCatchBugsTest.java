package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checkers can fail: bugs injected from outside the core (a disk that acks before its fsync, clients
 * that read without a barrier) are reported within a modest number of seeds, while the same seeds with the
 * bug switched off report no safety violation.
 */
class CheckersCatchBugsTest {
  private static final Set<String> SAFETY_LOSS = Set.of("AcknowledgedWriteLost", "Agreement", "PrefixConsistency");

  /** Slow disks (5-30 ms fsync) leave acked-but-unsynced writes around long enough for power losses to hit. */
  private static final RandomRun.Options SLOW_DISK = RandomRun.Options.defaults().withFsync(5_000, 30_000);

  @Test
  void ackBeforeFsync_losesAcknowledgedWrites_andTheHistoryCheckSaysSo() {
    List<Long> caught = new ArrayList<>();
    for (long seed = 1; seed <= 40; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol.factory(), SLOW_DISK.withDiskFaults(DiskFaults.ACK_BEFORE_FSYNC));
      if (r.violations().stream().anyMatch(v -> SAFETY_LOSS.contains(v.check()))) {
        caught.add(seed);
      }
    }
    assertThat(caught).as("seeds where a lost acknowledged write was detected").hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void correctDisk_sameSeeds_losesNothing() {
    for (long seed = 1; seed <= 40; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol.factory(), SLOW_DISK);
      assertThat(r.violations()).as("seed %d", seed).noneMatch(v -> SAFETY_LOSS.contains(v.check()));
    }
  }

  @Test
  void readsWithoutBarrier_areStale_andTheLinearizabilityCheckSaysSo() {
    int caught = 0;
    for (long seed = 1; seed <= 10; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol.factory(),
          RandomRun.Options.defaults().withReadMode(ReadMode.LOCAL_WITHOUT_BARRIER));
      if (r.linearizability() != null && r.linearizability().illegal()) {
        caught++;
        assertThat(r.report()).contains("ILLEGAL history", "-Dzab.sim.seed=" + seed);
      }
    }
    assertThat(caught).as("runs with a stale read detected out of 10").isGreaterThanOrEqualTo(5);
  }
}
