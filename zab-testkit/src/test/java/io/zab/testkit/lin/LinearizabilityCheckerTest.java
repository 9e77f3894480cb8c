package io.zab.testkit.lin;

import static io.zab.testkit.lin.KvOp.UNKNOWN;
import static io.zab.testkit.lin.KvOp.read;
import static io.zab.testkit.lin.KvOp.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.testkit.lin.LinearizabilityResult.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker(1_000_000);

  private Verdict verdict(KvOp... ops) {
    return checker.check(List.of(ops)).verdict();
  }

  @Test
  void sequentialWritesAndReadsAreLegal() {
    assertThat(verdict(write(1, "x", "a", 1, 2), read(2, "x", "a", 3, 4), write(3, "x", "b", 5, 6),
        read(4, "x", "b", 7, 8))).isEqualTo(Verdict.LEGAL);
  }

  @Test
  void readOfAbsentKeyBeforeAnyWriteIsLegal() {
    assertThat(verdict(read(1, "x", null, 1, 2), write(2, "x", "a", 3, 4))).isEqualTo(Verdict.LEGAL);
  }

  @Test
  void concurrentReadMaySeeEitherValue() {
    // The read overlaps the write of b: both a and b are fine.
    assertThat(verdict(write(1, "x", "a", 1, 2), write(2, "x", "b", 3, 10), read(3, "x", "a", 4, 5)))
        .isEqualTo(Verdict.LEGAL);
    assertThat(verdict(write(1, "x", "a", 1, 2), write(2, "x", "b", 3, 10), read(3, "x", "b", 4, 5)))
        .isEqualTo(Verdict.LEGAL);
  }

  @Test
  void staleReadAfterCompletedWriteIsIllegal() {
    LinearizabilityResult r = checker.check(List.of(write(1, "x", "a", 1, 2), write(2, "x", "b", 3, 4),
        read(3, "x", "a", 5, 6)));
    assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
    assertThat(r.key()).isEqualTo("x");
    assertThat(r.describe(10)).contains("read(x) -> a");
  }

  @Test
  void lostWriteIsIllegal() {
    // b was acknowledged, yet a later read finds the key as it was before b.
    assertThat(verdict(write(1, "x", "b", 1, 2), read(2, "x", null, 3, 4))).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void readOfNeverWrittenValueIsIllegal() {
    assertThat(verdict(write(1, "x", "a", 1, 2), read(2, "x", "zzz", 3, 4))).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void unknownWriteMayTakeEffectLateOrNever() {
    // The unknown write of b is seen by a read long after its call: legal (it took effect late)...
    assertThat(verdict(write(1, "x", "a", 1, 2), write(2, "x", "b", 3, UNKNOWN), read(3, "x", "a", 10, 11),
        read(4, "x", "b", 20, 21))).isEqualTo(Verdict.LEGAL);
    // ...or never seen at all: legal (it never took effect).
    assertThat(verdict(write(1, "x", "a", 1, 2), write(2, "x", "b", 3, UNKNOWN), read(3, "x", "a", 20, 21)))
        .isEqualTo(Verdict.LEGAL);
    // But once seen it cannot be un-done: b then a again (no write of a after) is illegal.
    assertThat(verdict(write(1, "x", "a", 1, 2), write(2, "x", "b", 3, UNKNOWN), read(3, "x", "b", 10, 11),
        read(4, "x", "a", 20, 21))).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void unknownWriteCannotTakeEffectBeforeItsCall() {
    assertThat(verdict(read(1, "x", "b", 1, 2), write(2, "x", "b", 3, UNKNOWN))).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void keysAreCheckedIndependently() {
    LinearizabilityResult r = checker.check(List.of(write(1, "x", "a", 1, 2), write(2, "y", "b", 1, 2),
        read(3, "x", "a", 3, 4), read(4, "y", "a", 3, 4)));
    assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
    assertThat(r.key()).isEqualTo("y");
  }

  @Test
  void largeConcurrentLegalHistoryIsDecidedQuickly() {
    // Five clients, each doing write-then-read of its own fresh values on one key, executed sequentially
    // in a random order but reported with overlapping intervals: legal by construction.
    SplittableRandom random = new SplittableRandom(3);
    List<KvOp> ops = new ArrayList<>();
    String value = null;
    long t = 0;
    for (int i = 0; i < 400; i++) {
      long call = t - random.nextLong(0, 5);
      t += 2;
      if (random.nextBoolean()) {
        value = "v" + i;
        ops.add(write(i, "k", value, Math.max(0, call), t + random.nextLong(1, 5)));
      } else {
        ops.add(read(i, "k", value, Math.max(0, call), t + random.nextLong(1, 5)));
      }
    }
    assertThat(checker.check(ops).verdict()).isEqualTo(Verdict.LEGAL);
  }
}
