package io.zab.testkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Collects the violations every checker reports during one run. */
public final class Violations {
  private final List<Violation> found = new ArrayList<>();
  private final LongSupplier clock;

  /**
   * An empty collection.
   *
   * @param clock the simulated time, in microseconds, stamped on each violation
   */
  public Violations(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Records a violation, stamped with the current simulated time.
   *
   * @param check the invariant broken
   * @param server the server it broke on (0 for the cluster as a whole)
   * @param detail what exactly happened
   */
  public void report(String check, long server, String detail) {
    found.add(new Violation(check, server, clock.getAsLong(), detail));
  }

  /**
   * Whether any violation was found.
   *
   * @return true if at least one was reported
   */
  public boolean any() {
    return !found.isEmpty();
  }

  /**
   * Every violation found, in the order reported.
   *
   * @return a copy of the list
   */
  public List<Violation> all() {
    return List.copyOf(found);
  }
}
