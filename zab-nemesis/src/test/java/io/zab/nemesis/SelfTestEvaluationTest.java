package io.zab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.check.LinearizabilityCheck;
import io.zab.nemesis.check.LostWrites;
import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.OpKind;
import io.zab.nemesis.workload.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The self-test's verdict on histories shaped like the planted ones: a run's clean history plus a stale
 * read and an acknowledged put that is gone at the end.
 */
class SelfTestEvaluationTest {
  private long ids;

  private Op op(String client, OpKind kind, String key, String value, long call, long ret, Outcome o, String seen) {
    return new Op(++ids, client, 1, kind, key, value, null, call, ret, o, seen);
  }

  private List<Op> clean() {
    return List.of(op("c1", OpKind.PUT, "r0-1", "c1.1", 0, 10, Outcome.OK, null),
        op("c2", OpKind.READ, "r0-1", null, 11, 12, Outcome.OK, "c1.1"),
        op("c1", OpKind.ADD, "a-c1-2", "c1.2", 13, 14, Outcome.OK, null));
  }

  private List<Op> planted(boolean stale, boolean lost) {
    List<Op> h = new ArrayList<>(clean());
    h.add(op("selftest", OpKind.PUT, SelfTest.STALE_KEY, "selftest.1", 20, 21, Outcome.OK, null));
    h.add(op("selftest", OpKind.PUT, SelfTest.STALE_KEY, "selftest.2", 22, 23, Outcome.OK, null));
    h.add(op("selftest-planted", OpKind.READ, SelfTest.STALE_KEY, null, 24, 25, Outcome.OK,
        stale ? "selftest.1" : "selftest.2"));
    h.add(op("selftest", OpKind.ADD, SelfTest.LOST_KEY, "selftest.lost", 26, 27, Outcome.OK, null));
    return h;
  }

  private List<String> evaluate(List<Op> h, boolean lostIsGone) {
    Map<String, String> state = lostIsGone ? Map.of("a-c1-2", "c1.2")
        : Map.of("a-c1-2", "c1.2", SelfTest.LOST_KEY, "selftest.lost");
    return SelfTest.evaluate(new LinearizabilityCheck(1_000_000).check(h), LostWrites.check(h, Map.of(1, state, 2, state)));
  }

  @Test
  void passesWhenExactlyThePlantedAnomaliesAreCaught() {
    assertThat(evaluate(planted(true, true), true)).isEmpty();
  }

  @Test
  void failsWhenTheStaleReadGoesUnnoticed() {
    assertThat(evaluate(planted(false, true), true)).singleElement().asString().contains("stale read").contains("NOT caught");
  }

  @Test
  void failsWhenTheLostWriteGoesUnnoticed() {
    assertThat(evaluate(planted(true, true), false)).singleElement().asString().contains("lost write").contains("NOT caught");
  }

  @Test
  void failsWhenSomethingElseIsWrongToo() {
    List<Op> h = new ArrayList<>(planted(true, true));
    h.add(op("c3", OpKind.READ, "r0-1", null, 30, 31, Outcome.OK, "never-written"));
    assertThat(evaluate(h, true)).singleElement().asString().contains("key r0-1 is not linearizable");
  }
}
