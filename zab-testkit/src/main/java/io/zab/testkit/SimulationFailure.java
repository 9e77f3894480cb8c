package io.zab.testkit;

import io.zab.testkit.sim.Violation;
import java.util.List;

/** A simulated cluster broke an invariant: the violations, the seed that replays it, and the last steps. */
public final class SimulationFailure extends AssertionError {
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;

  SimulationFailure(long seed, List<Violation> violations, String trace) {
    super("simulation with seed " + seed + " broke an invariant:\n  "
        + String.join("\n  ", violations.stream().map(Violation::toString).toList())
        + "\nlast steps:\n" + trace);
    this.violations = List.copyOf(violations);
  }

  /**
   * What was broken.
   *
   * @return the invariant violations, in the order they were found
   */
  public List<Violation> violations() {
    return violations;
  }
}
