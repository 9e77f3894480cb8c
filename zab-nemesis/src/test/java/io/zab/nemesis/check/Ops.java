package io.zab.nemesis.check;

import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.OpKind;
import io.zab.nemesis.workload.Outcome;
import java.util.concurrent.atomic.AtomicLong;

/** Builds recorded operations for the tests. */
final class Ops {
  private final AtomicLong ids = new AtomicLong();

  Op put(String key, String value, long call, long ret, Outcome outcome) {
    return new Op(ids.incrementAndGet(), "c1", 1, OpKind.PUT, key, value, null, call, ret, outcome, null);
  }

  Op add(String key, String value, long call, long ret, Outcome outcome) {
    return new Op(ids.incrementAndGet(), "c1", 1, OpKind.ADD, key, value, null, call, ret, outcome, null);
  }

  Op read(String key, String seen, long call, long ret) {
    return new Op(ids.incrementAndGet(), "c2", 2, OpKind.READ, key, null, null, call, ret, Outcome.OK, seen);
  }

  Op cas(String key, String expected, String value, long call, long ret, Outcome outcome, String current) {
    return new Op(ids.incrementAndGet(), "c3", 3, OpKind.CAS, key, value, expected, call, ret, outcome, current);
  }
}
