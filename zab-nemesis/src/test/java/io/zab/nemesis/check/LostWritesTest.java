package io.zab.nemesis.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.workload.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LostWritesTest {
  private final Ops ops = new Ops();

  @Test
  void everyAcknowledgedAddOnEveryServerIsClean() {
    var h = List.of(ops.add("a-1", "v1", 0, 1, Outcome.OK), ops.add("a-2", "v2", 0, 1, Outcome.FAIL),
        ops.add("a-3", "v3", 0, 1, Outcome.UNKNOWN), ops.add("a-4", "v4", 0, 1, Outcome.UNKNOWN));
    Map<String, String> state = Map.of("a-1", "v1", "a-3", "v3");
    LostWrites.Report r = LostWrites.check(h, Map.of(1, state, 2, state, 3, state));
    assertThat(r.lost()).isEmpty();
    assertThat(r.rejectedVisible()).isEmpty();
    assertThat(r.acknowledged()).isEqualTo(1);
    assertThat(r.unknownPresent()).isEqualTo(1);
    assertThat(r.unknownAbsent()).isEqualTo(1);
  }

  @Test
  void anAcknowledgedAddMissingOnOneServerIsLost() {
    var h = List.of(ops.add("a-1", "v1", 0, 1, Outcome.OK));
    Map<String, String> wrong = new HashMap<>();
    wrong.put("a-1", "other");
    LostWrites.Report r = LostWrites.check(h, Map.of(1, Map.of("a-1", "v1"), 2, Map.of(), 3, wrong));
    assertThat(r.lost()).singleElement().asString().contains("a-1=v1").contains("server 2 has no value")
        .contains("server 3 has 'other'");
  }

  @Test
  void aRefusedAddThatIsVisibleIsReported() {
    var h = List.of(ops.add("a-9", "v9", 0, 1, Outcome.FAIL));
    LostWrites.Report r = LostWrites.check(h, Map.of(1, Map.of(), 2, Map.of("a-9", "v9")));
    assertThat(r.rejectedVisible()).singleElement().asString().contains("a-9=v9").contains("server 2");
  }
}
