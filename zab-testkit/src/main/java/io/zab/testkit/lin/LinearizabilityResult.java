package io.zab.testkit.lin;

import java.util.List;

/**
 * The verdict on a history: {@code LEGAL}, {@code ILLEGAL} (with the key whose sub-history has no
 * linearization and that sub-history), or {@code UNDECIDED} when the search hit its step budget.
 *
 * @param verdict the outcome
 * @param key the key whose sub-history is illegal, or the first one left undecided; null when legal
 * @param subHistory that key's operations by call time; when illegal, only those up to the earliest answer after
 *     which no linearization exists (writes still running then shown unanswered); empty when legal
 */
public record LinearizabilityResult(Verdict verdict, String key, List<KvOp> subHistory) {
  /** The three possible outcomes. */
  public enum Verdict {
    /** The history is linearizable. */
    LEGAL,
    /** Some key's sub-history has no linearization. */
    ILLEGAL,
    /** The search ran out of steps on some key before it could decide. */
    UNDECIDED
  }

  /**
   * The verdict on a linearizable history.
   *
   * @return a {@code LEGAL} result, with no key and an empty sub-history
   */
  public static LinearizabilityResult legal() {
    return new LinearizabilityResult(Verdict.LEGAL, null, List.of());
  }

  /**
   * Whether the history is linearizable.
   *
   * @return true if the verdict is {@code LEGAL}
   */
  public boolean legalHistory() {
    return verdict == Verdict.LEGAL;
  }

  /**
   * Whether the history is certainly not linearizable.
   *
   * @return true if the verdict is {@code ILLEGAL} (false for {@code UNDECIDED})
   */
  public boolean illegal() {
    return verdict == Verdict.ILLEGAL;
  }

  /**
   * A readable explanation: the verdict, and for an illegal or undecided one the key and its last operations.
   *
   * @param maxOps the most operations listed
   * @return one line for a legal history; the verdict and one line per operation otherwise
   */
  public String describe(int maxOps) {
    if (verdict != Verdict.ILLEGAL && verdict != Verdict.UNDECIDED) {
      return verdict.toString();
    }
    String what = verdict == Verdict.ILLEGAL ? "ILLEGAL history for key '" + key + "': no linearization of its first "
        + subHistory.size() + " ops; the last " + Math.min(maxOps, subHistory.size()) + " (by call, times on one logical clock):\n"
        : "UNDECIDED (search budget exhausted) for key '" + key + "' (" + subHistory.size() + " ops)\n";
    StringBuilder sb = new StringBuilder(what);
    subHistory.stream().skip(Math.max(0, subHistory.size() - maxOps)).forEach(op -> sb.append("    ").append(op).append('\n'));
    return sb.toString();
  }
}
