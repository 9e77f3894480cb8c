package io.zab.testkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Collects the violations every checker reports during one run. */
public final class Violations {
  private final List<Violation> found = new ArrayList<>();
  private final LongSupplier clock;

  public Violations(LongSupplier clock) {
    this.clock = clock;
  }

  public void report(String check, long server, String detail) {
    found.add(new Violation(check, server, clock.getAsLong(), detail));
  }

  public boolean any() {
    return !found.isEmpty();
  }

  public List<Violation> all() {
    return List.copyOf(found);
  }
}
