package io.zab.nemesis.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsAndWindowTest {
  @Test
  void medianAndMax() {
    assertThat(Stats.of(List.of(5L, 1L, 9L))).isEqualTo(new Stats(3, 5, 9));
    assertThat(Stats.of(List.of(4L, 1L, 9L, 2L))).isEqualTo(new Stats(4, 3, 9));
    assertThat(Stats.of(List.of())).isEqualTo(new Stats(0, 0, 0));
  }

  @Test
  void rateCountsOnlyEventsInsideTheWindows() {
    List<Window> w = List.of(new Window(0, 1_000_000), new Window(3_000_000, 4_000_000));
    List<Long> t = List.of(10L, 999_999L, 1_000_000L, 2_000_000L, 3_500_000L);
    assertThat(Window.ratePerSecond(t, w)).isCloseTo(1.5, within(1e-9));
    assertThat(Window.ratePerSecond(t, List.of())).isZero();
  }
}
