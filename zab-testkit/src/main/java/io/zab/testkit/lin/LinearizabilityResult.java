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
    String what = verdict == Verdict.ILLEGAL ? "ILLEGAL history for key '" + key + "': no linearization of its first "
        + subHistory.size() + " ops; the last " + Math.min(maxOps, subHistory.size()) + " (by call, times on one logical clock):\n"
        : "UNDECIDED (search budget exhausted) for key '" + key + "' (" + subHistory.size() + " ops)\n";
    StringBuilder sb = new StringBuilder(what);
    subHistory.stream().skip(Math.max(0, subHistory.size() - maxOps)).forEach(op -> sb.append("    ").append(op).append('\n'));
    return sb.toString();
  }
}
