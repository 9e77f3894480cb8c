package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatePacerAndStepTest {

  @Test
  void writesAreDueAtIOverRateFromTheStart() {
    RatePacer pacer = new RatePacer(1_000, 3);
    assertThat(pacer.dueNanos(0)).isEqualTo(1_000);
    assertThat(pacer.dueNanos(1)).isEqualTo(1_000 + 333_333_333);
    assertThat(pacer.dueNanos(2)).isEqualTo(1_000 + 666_666_666);
    assertThat(pacer.dueNanos(3)).isEqualTo(1_000 + 1_000_000_000);
  }

  @Test
  void aRateThatDoesNotDivideASecondDoesNotDrift() {
    // adding a rounded period (333,333 ns) would be 1 ms early after 3,000,000 writes
    RatePacer pacer = new RatePacer(0, 3_000);
    assertThat(pacer.dueNanos(3_000_000)).isEqualTo(1_000_000_000_000L);
    assertThat(pacer.dueNanos(3_000_001)).isEqualTo(1_000_000_333_333L);
  }

  @Test
  void dueTimesNeverGoBackwardsAndStayExactForHugeCounts() {
    RatePacer pacer = new RatePacer(0, 7_919);
    for (long i = 1; i < 20_000; i++) {
      assertThat(pacer.dueNanos(i)).isGreaterThan(pacer.dueNanos(i - 1));
    }
    // 1e10 writes: i * 1e9 would overflow a long
    assertThat(new RatePacer(0, 10_000).dueNanos(10_000_000_000L)).isEqualTo(1_000_000L * 1_000_000_000L);
  }

  @Test
  void rateStepsParseAndNameTheirMode() {
    assertThat(RateStep.parseList("5000x1024, 20000x128")).containsExactly(
        new RateStep(5000, 1024, RateStep.DEFAULT_MAX_IN_FLIGHT), new RateStep(20000, 128, RateStep.DEFAULT_MAX_IN_FLIGHT));
    assertThat(RateStep.parseList(" ")).isEmpty();
    assertThat(new RateStep(5000, 1024, 10).mode()).isEqualTo("open-5000/s");
    assertThat(new RateStep(5000, 1024, 10)).hasToString("5000x1024");
  }

  @Test
  void badRatesSayWhatIsWrong() {
    assertThatThrownBy(() -> RateStep.parseList("5000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'5000'");
    assertThatThrownBy(() -> RateStep.parseList("0x1024")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate");
    assertThatThrownBy(() -> RateStep.parseList("fastx1024")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-numeric");
    assertThatThrownBy(() -> RateStep.parseList("5000x99999999999")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload size 99999999999 is too large");
    assertThatThrownBy(() -> new RatePacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
