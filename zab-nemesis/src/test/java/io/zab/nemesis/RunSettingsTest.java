package io.zab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
  private static RunSettings s(int rounds, double minutes) {
    return new RunSettings("a", 1, rounds, minutes, 100, false, Path.of("d"), "java", "cp", List.of(), 50, 2, true, 262_144);
  }

  @Test
  void byDefaultRunsUntilAHundredPartitions() {
    assertThat(s(0, 0).moreRounds(500, 99, 10_000_000)).isTrue();
    assertThat(s(0, 0).moreRounds(60, 100, 1)).isFalse();
  }

  @Test
  void roundsAndMinutesBoundTheRunWhicheverComesFirst() {
    assertThat(s(5, 0).moreRounds(4, 1_000, 0)).isTrue();
    assertThat(s(5, 0).moreRounds(5, 0, 0)).isFalse();
    assertThat(s(0, 1.5).moreRounds(1_000, 1_000, 89_999)).isTrue();
    assertThat(s(0, 1.5).moreRounds(1, 0, 90_000)).isFalse();
    assertThat(s(3, 1.5).moreRounds(3, 0, 0)).isFalse();
  }

  @Test
  void theSummaryLineHasTheExactFormat() {
    assertThat(new Summary(3, 6, 1, 2, 1578, 1574, 4, 0, true, false, 4, 3, 2, 2).line()).isEqualTo("nemesis: rounds=3"
        + " partitions=6 kills=1 pauses=2 ops=1578 ok=1574 unknown=4 lost=0 linearizable=yes converged=no"
        + " membership-changes=3/4 transfers=2/2");
  }
}
