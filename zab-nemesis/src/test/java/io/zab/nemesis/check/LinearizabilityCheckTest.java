package io.zab.nemesis.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckTest {
  private final Ops ops = new Ops();
  private final LinearizabilityCheck check = new LinearizabilityCheck(1_000_000);

  @Test
  void concurrentPutsCasAndReadsThatFitOneOrderAreLinearizable() {
    List<Op> h = List.of(
        ops.put("x", "a", 0, 10, Outcome.OK),
        ops.cas("x", "a", "b", 5, 20, Outcome.OK, null),
        ops.read("x", "a", 6, 8),      // before the cas took effect
        ops.read("x", "b", 21, 22),
        ops.cas("x", "a", "c", 23, 24, Outcome.MISMATCH, "b"),
        ops.put("x", "d", 25, 26, Outcome.UNKNOWN),
        ops.read("x", "b", 27, 28),    // the unknown put has not taken effect (yet)
        ops.put("y", "q", 0, 1, Outcome.FAIL),
        ops.read("y", null, 2, 3));
    LinearizabilityCheck.Report r = check.check(h);
    assertThat(r.linearizable()).isTrue();
    assertThat(r.keysChecked()).isEqualTo(2);
  }

  @Test
  void everyKeyThatIsNotLinearizableIsListed() {
    List<Op> h = List.of(
        ops.put("x", "a", 0, 1, Outcome.OK), ops.put("x", "b", 2, 3, Outcome.OK), ops.read("x", "a", 4, 5), // stale
        ops.put("y", "a", 0, 1, Outcome.OK), ops.read("y", null, 2, 3),                                      // lost
        ops.put("z", "q", 0, 1, Outcome.FAIL), ops.read("z", "q", 2, 3),                                     // refused, yet seen
        ops.put("w", "a", 0, 1, Outcome.OK), ops.read("w", "a", 2, 3));
    LinearizabilityCheck.Report r = check.check(h);
    assertThat(r.linearizable()).isFalse();
    assertThat(r.illegal()).extracting(LinearizabilityCheck.KeyVerdict::key).containsExactly("x", "y", "z");
    assertThat(r.illegal().get(0).result().describe(10)).contains("read(x) -> a");
  }
}
