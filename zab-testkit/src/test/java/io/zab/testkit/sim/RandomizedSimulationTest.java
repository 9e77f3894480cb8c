package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.testkit.timeline.TimelineCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs many seeds of random faults against the real core and prints one summary line:
 * {@code sim: seeds=N pressure=P events=E faults=F refused=R log_damages=D snapshot_damages=S sim_time_s=T
 * violations=V lin_checked=L lin_illegal=I wall_s=W} (P: seeds run under a {@link PressureProfile}; D: logs damaged in
 * the middle and repaired from the ensemble, {@link LogDamageFaults}; S: newest snapshots damaged, the server
 * restarted from an older one and repaired, {@link SnapshotDamageFaults}).
 *
 * <p>{@code -Dzab.sim.seeds=N} runs N seeds from {@code -Dzab.sim.firstSeed} (default 1; the build passes 2,000; the
 * long run reported for issue 14 is 20,000);
 * {@code -Dzab.sim.seed=S} replays only seed S and prints its trace (more steps with
 * {@code -Dzab.sim.traceSteps=N}). Fails if any seed broke an invariant or produced a non-linearizable
 * client history.
 */
class RandomizedSimulationTest {
  @Test
  void randomFaultsBreakNoInvariant() {
    String only = System.getProperty("zab.sim.seed");
    boolean replay = only != null && !only.isBlank();
    long first = replay ? Long.parseLong(only.trim()) : Long.getLong("zab.sim.firstSeed", 1);
    long count = replay ? 1 : Long.getLong("zab.sim.seeds", 50);
    SeedTotals t = new SeedTotals();
    List<Long> failed = new ArrayList<>();
    for (long seed = first; seed < first + count; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol::factory, RandomRun.Options.defaults());
      if (t.add(r)) {
        System.out.println("sim: seed " + seed + " linearizability UNDECIDED (search budget exhausted)");
      }
      if (r.failed()) {
        failed.add(seed);
        System.out.println(r.report());
        System.out.println("  timeline: " + timeline(seed));
      }
    }
    System.out.printf("sim: seeds=%d pressure=%d events=%d faults=%d refused=%d log_damages=%d snapshot_damages=%d"
        + " sim_time_s=%.0f violations=%d lin_checked=%d lin_illegal=%d wall_s=%.1f%n", count, t.pressure, t.events,
        t.faults, t.refused, t.logDamages, t.snapshotDamages, t.simSeconds(), t.violations, t.linChecked, t.linIllegal,
        t.wallSeconds());
    assertThat(failed).as("seeds that failed (replay each with -Dzab.sim.seed=S)").isEmpty();
  }

  /** Replays {@code seed} once more to draw its timeline next to the test reports; returns where. */
  private static String timeline(long seed) {
    try {
      return TimelineCommand.render(seed, Path.of("target", "zab-timelines", "seed-" + seed + ".html")).toUri().toString();
    } catch (IOException | RuntimeException e) {
      return "not drawn (" + e + "); " + RunResult.timelineCommand(seed);
    }
  }
}
