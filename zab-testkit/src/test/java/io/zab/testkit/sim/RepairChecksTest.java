package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The RepairNoVote check (issue 14) can fail: a core that ignores the repairing marker of a damaged disk (it starts
 * as if its log had never lost anything, the bug the marker prevents) votes while it may lack txns it acknowledged,
 * and the check reports it; the real core, on the same seeds and faults, never does.
 */
class RepairChecksTest {
  private static final RandomRun.Options OPTIONS = RandomRun.Options.defaults().withPressure(false);

  @Test
  void aCoreThatIgnoresTheRepairMarkerVotesWhileRepairing_andTheCheckSaysSo() {
    int damagedRuns = 0;
    int caught = 0;
    for (long seed = 1; seed <= 8; seed++) {
      RunResult forgetful = RandomRun.run(seed, RepairChecksTest::ignoringTheMarker, OPTIONS);
      RunResult real = RandomRun.run(seed, PeerProtocol::factory, OPTIONS);
      assertThat(real.violations()).as("seed %d, real core", seed).isEmpty();
      if (real.logDamages() > 0) {
        damagedRuns++;
        caught += forgetful.violations().stream().anyMatch(v -> v.check().equals("RepairNoVote")) ? 1 : 0;
      }
    }
    assertThat(damagedRuns).as("seeds with a damaged log out of 8").isGreaterThanOrEqualTo(3);
    assertThat(caught).as("of those, the runs where the forgetful core was caught").isEqualTo(damagedRuns);
  }

  /**
   * The same for a damaged newest snapshot ({@link SnapshotDamageFaults}): the server restarts from an older snapshot
   * with its log set aside, so it lacks txns it acknowledged; a core that ignores the marker votes anyway, and the check
   * says so. The seeds are searched, not pinned (which seeds draw a snapshot damage moves with any change of the
   * core's event order): runs whose only damage is a snapshot's, until three of them catch the forgetful core.
   */
  @Test
  void aCoreThatIgnoresTheMarkerAfterADamagedSnapshotVotesWhileRepairing_andTheCheckSaysSo() {
    int snapshotOnlyRuns = 0;
    int caught = 0;
    for (long seed = 1; seed <= 300 && caught < 3; seed++) {
      RunResult real = RandomRun.run(seed, PeerProtocol::factory, OPTIONS);
      assertThat(real.violations()).as("seed %d, real core", seed).isEmpty();
      if (real.snapshotDamages() == 0 || real.logDamages() > 0) {
        continue;
      }
      snapshotOnlyRuns++;
      RunResult forgetful = RandomRun.run(seed, RepairChecksTest::ignoringTheMarker, OPTIONS);
      caught += forgetful.violations().stream().anyMatch(v -> v.check().equals("RepairNoVote")) ? 1 : 0;
    }
    assertThat(caught).as("runs (of %d whose only damage was a snapshot's) where the forgetful core was caught",
        snapshotOnlyRuns).isEqualTo(3);
  }

  /** The real core, started without the marker its disk holds. */
  private static ProtocolFactory ignoringTheMarker(PeerProtocol.Limits limits) {
    ProtocolFactory real = PeerProtocol.factory(limits);
    return (self, voters, d) -> real.create(self, voters, new DurableState(d.acceptedEpoch(), d.currentEpoch(),
        d.snapshotZxid(), d.snapshot(), d.logAfterSnapshot()));
  }
}
