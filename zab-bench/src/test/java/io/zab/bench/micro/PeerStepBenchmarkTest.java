package io.zab.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.protocol.Action;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmark measures real work: a real election, then rounds that each commit every submit. */
class PeerStepBenchmarkTest {

  private static final Blackhole BLACKHOLE = new Blackhole(
      "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @Test
  void everyRoundCommitsAndCompletesAllItsSubmits() {
    PeerStepBenchmark bench = new PeerStepBenchmark();
    bench.payloadBytes = 1024;
    bench.setUp();
    for (int round = 0; round < 600; round++) { // crosses two snapshot trims
      int batch = round % 2 == 0 ? 1 : 64;
      List<Action> committed = bench.round(BLACKHOLE, batch);
      assertThat(committed.stream().filter(a -> a instanceof Action.Complete).count())
          .as("round %d", round).isEqualTo(batch);
    }
  }
}
