package io.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.protocol.Timing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The public timeouts in durations, and the core's timing in ticks that the builder makes of them. */
class TimeoutsTest {
  private static final Duration TICK = Duration.ofMillis(50);

  @Test
  void theDefaultsAreTheCoresDefaultTimingAtTheDefaultTick() {
    assertThat(Timeouts.defaults().inTicks(TICK)).isEqualTo(Timing.defaults());
  }

  @Test
  void eachTimeoutRoundsUpToWholeTicks() {
    Timeouts t = new Timeouts(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(101), Duration.ofMillis(150),
        Duration.ofMillis(51));
    assertThat(t.inTicks(TICK)).isEqualTo(new Timing(0, 1, 3, 3, 2));
  }

  @Test
  void scaledByMultipliesEveryTimeout() {
    Timeouts fast = Timeouts.defaults().scaledBy(0.4);
    assertThat(fast).isEqualTo(new Timeouts(Duration.ofMillis(80), Duration.ofMillis(400), Duration.ofSeconds(2),
        Duration.ofMillis(800), Duration.ofMillis(100)));
    // zab's default timing in ticks, at 20 ms ticks: what the test clusters used before timeouts were durations
    assertThat(fast.inTicks(Duration.ofMillis(20))).isEqualTo(Timing.defaults());
  }

  @Test
  void withersChangeOneTimeout() {
    Timeouts t = Timeouts.defaults().withSyncLimit(Duration.ofSeconds(7)).withInitLimit(Duration.ofSeconds(30));
    assertThat(t.syncLimit()).isEqualTo(Duration.ofSeconds(7));
    assertThat(t.initLimit()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.pingInterval()).isEqualTo(Timeouts.defaults().pingInterval());
  }

  @Test
  void badValuesNameTheTimeout() {
    assertThatThrownBy(() -> Timeouts.defaults().withSyncLimit(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncLimit must be positive");
    assertThatThrownBy(() -> Timeouts.defaults().withFinalizeWait(Duration.ofMillis(-1)))
        .hasMessageContaining("finalizeWait must not be negative");
    assertThatThrownBy(() -> Timeouts.defaults().withPingInterval(Duration.ofSeconds(2)))
        .hasMessageContaining("pingInterval (PT2S) must be shorter than syncLimit (PT2S)");
    assertThatThrownBy(() -> Timeouts.defaults().scaledBy(0)).hasMessageContaining("factor must be a positive");
  }

  @Test
  void aPingThatRoundsToTheSyncLimitIsRefusedNamingTheTick() {
    Timeouts t = Timeouts.defaults().withPingInterval(Duration.ofMillis(260)).withSyncLimit(Duration.ofMillis(270));
    assertThatThrownBy(() -> t.inTicks(TICK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("round to 6 and 6 ticks of PT0.05S");
  }
}
