package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The same seed replays the same run event for event; another seed gives another run. */
class DeterminismTest {
  @Test
  void sameSeedGivesTheSameTraceAndDifferentSeedsDiffer() {
    RunResult a = RandomRun.run(7, PeerProtocol::factory, RandomRun.Options.defaults());
    RunResult b = RandomRun.run(7, PeerProtocol::factory, RandomRun.Options.defaults());
    RunResult c = RandomRun.run(8, PeerProtocol::factory, RandomRun.Options.defaults());

    assertThat(a.events()).isGreaterThan(1_000);
    assertThat(b.traceHash()).isEqualTo(a.traceHash());
    assertThat(b.events()).isEqualTo(a.events());
    assertThat(b.simMicros()).isEqualTo(a.simMicros());
    assertThat(b.clientOps()).isEqualTo(a.clientOps());
    assertThat(c.traceHash()).isNotEqualTo(a.traceHash());
  }
}
