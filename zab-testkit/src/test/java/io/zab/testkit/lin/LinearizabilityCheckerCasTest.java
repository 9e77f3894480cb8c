package io.zab.testkit.lin;

import static io.zab.testkit.lin.KvOp.UNKNOWN;
import static io.zab.testkit.lin.KvOp.cas;
import static io.zab.testkit.lin.KvOp.read;
import static io.zab.testkit.lin.KvOp.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.testkit.lin.LinearizabilityResult.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compare-and-set in the register model: swapped, unanswered (swapped, no-op or never), and misuse. */
class LinearizabilityCheckerCasTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker(1_000_000);

  private Verdict verdict(KvOp... ops) {
    return checker.check(List.of(ops)).verdict();
  }

  @Test
  void casThatSwappedFromTheCurrentValueIsLegal() {
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "a", "b", 3, 4), read(3, "x", "b", 5, 6)))
        .isEqualTo(Verdict.LEGAL);
    assertThat(verdict(cas(1, "x", null, "a", 1, 2), read(2, "x", "a", 3, 4))).isEqualTo(Verdict.LEGAL);
  }

  @Test
  void casThatSwappedFromAValueTheRegisterDidNotHoldIsIllegal() {
    // The register held a when the cas ran alone, yet it claims to have swapped from z.
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "z", "b", 3, 4))).isEqualTo(Verdict.ILLEGAL);
    // Absent expected, but the key was written before.
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", null, "b", 3, 4))).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void twoCasFromTheSameValueCannotBothSwap() {
    // Both swap from a: whichever goes second finds the other's value.
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "a", "b", 3, 10), cas(3, "x", "a", "c", 4, 11)))
        .isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void unansweredCasMaySwapOrNot() {
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "a", "b", 3, UNKNOWN), read(3, "x", "b", 5, 6)))
        .isEqualTo(Verdict.LEGAL);
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "a", "b", 3, UNKNOWN), read(3, "x", "a", 5, 6)))
        .isEqualTo(Verdict.LEGAL);
  }

  @Test
  void unansweredCasThatFoundAnotherValueChangesNothing() {
    // The unanswered cas expects z, the register holds a: it cannot have written b.
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "z", "b", 3, UNKNOWN), read(3, "x", "b", 5, 6)))
        .isEqualTo(Verdict.ILLEGAL);
    assertThat(verdict(write(1, "x", "a", 1, 2), cas(2, "x", "z", "b", 3, UNKNOWN), read(3, "x", "a", 5, 6)))
        .isEqualTo(Verdict.LEGAL);
  }

  @Test
  void describeNamesTheCas() {
    LinearizabilityResult r = checker.check(List.of(write(1, "x", "a", 1, 2), cas(2, "x", "z", "b", 3, 4)));
    assertThat(r.describe(5)).contains("cas(x, z -> b)");
  }

  @Test
  void onlyACasHasAnExpectedValue() {
    assertThatThrownBy(() -> new KvOp(1, "x", true, "b", 1, 2, "", false, "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    assertThatThrownBy(() -> new KvOp(1, "x", false, "b", 1, 2, "", true, "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a write");
  }
}
