package io.zab.nemesis.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.OpKind;
import io.zab.nemesis.workload.Outcome;
import io.zab.testkit.lin.KvOp;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryModelTest {
  private final Ops ops = new Ops();

  @Test
  void eachOutcomeBecomesWhatItProves() {
    List<KvOp> m = HistoryModel.toModel(List.of(
        ops.put("k", "a", 1, 2, Outcome.OK),
        ops.put("k", "b", 3, 4, Outcome.UNKNOWN),
        ops.put("k", "c", 5, 6, Outcome.FAIL),
        ops.read("k", "a", 7, 8),
        ops.cas("k", "a", "d", 9, 10, Outcome.OK, null),
        ops.cas("k", "a", "e", 11, 12, Outcome.MISMATCH, "d"),
        ops.cas("k", "d", "f", 13, 14, Outcome.UNKNOWN, null),
        new Op(99, "c9", 1, OpKind.READ, "k", null, null, 15, 16, Outcome.UNKNOWN, null)));
    assertThat(m).extracting(KvOp::toString).containsExactly(
        "write(k, a) [1, 2] c1@1",
        "write(k, b) [3, ?] c1@1",
        "read(k) -> a [7, 8] c2@2",
        "cas(k, a -> d) [9, 10] c3@3",
        "read(k) -> d [11, 12] c3@3",
        "cas(k, d -> f) [13, ?] c3@3");
  }
}
