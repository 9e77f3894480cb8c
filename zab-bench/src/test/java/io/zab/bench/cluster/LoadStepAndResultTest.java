package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadStepAndResultTest {

  @Test
  void parsesStepLists() {
    assertThat(LoadStep.parseList("1x1024, 256x16384"))
        .containsExactly(new LoadStep(1, 1024), new LoadStep(256, 16384));
    assertThat(LoadStep.parseList("")).isEmpty();
    assertThat(LoadStep.formatList(List.of(new LoadStep(32, 128)))).isEqualTo("32x128");
  }

  @Test
  void badStepSaysWhatIsWrong() {
    assertThatThrownBy(() -> LoadStep.parseList("256"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'256'");
    assertThatThrownBy(() -> LoadStep.parseList("0x10"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in flight");
    assertThatThrownBy(() -> LoadStep.parseList("ax10"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-numeric");
  }

  @Test
  void resultLineRoundTrips() {
    LoadResult result = new LoadResult("zab", "follower", 32, 1024, 12345, 10.002, 3, 800, 4000, 9000, 12000);
    assertThat(LoadResult.parseLine(result.toLine())).isEqualTo(
        new LoadResult("zab", "follower", 32, 1024, 12345, 10.002, 3, 800, 4000, 9000, 12000));
    assertThat(result.opsPerSec()).isBetween(1234.2, 1234.3);
    assertThat(LoadResult.parseLine("some log line")).isNull();
  }

  @Test
  void resultLineWithCostRoundTrips() {
    LoadResult result = new LoadResult("zab", "in-process", 256, 1024, 1000, 8.0, 0, 800, 4000, 9000, 12000)
        .withCost(new LoadResult.Cost(5, 41.5, 20.25, 3, 17));
    assertThat(LoadResult.parseLine(result.toLine())).isEqualTo(result);
  }

  @Test
  void resultLineWithMissingFieldIsRejectedByName() {
    assertThatThrownBy(() -> LoadResult.parseLine("RESULT system=zab mode=leader"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'inFlight' missing");
  }
}
