package io.zab.testkit.lin;

import java.util.List;

/**
 * The verdict on a history: {@code LEGAL}, {@code ILLEGAL} (with the key whose sub-history has no
 * linearization and that sub-history), or {@code UNDECIDED} when the search hit its step budget.
 */
public record LinearizabilityResult(Verdict verdict, String key, List<KvOp> subHistory) {
  /** The three possible outcomes. */
  public enum Verdict { LEGAL, ILLEGAL, UNDECIDED }

  public static LinearizabilityResult legal() {
    return new LinearizabilityResult(Verdict.LEGAL, null, List.of());
  }

  public boolean legalHistory() {
    return verdict == Verdict.LEGAL;
  }

  public boolean illegal() {
    return verdict == Verdict.ILLEGAL;
  }

  /** A readable explanation (the offending key's operations, at most {@code maxOps}). */
  public String describe(int maxOps) {
    if (verdict != Verdict.ILLEGAL && verdict != Verdict.UNDECIDED) {
      return verdict.toString();
    }
    StringBuilder sb = new StringBuilder(verdict + " history for key '" + key + "' (" + subHistory.size() + " ops):\n");
    subHistory.stream().limit(maxOps).forEach(op -> sb.append("    ").append(op).append('\n'));
    if (subHistory.size() > maxOps) {
      sb.append("    ... ").append(subHistory.size() - maxOps).append(" more\n");
    }
    return sb.toString();
  }
}
