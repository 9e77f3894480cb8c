package io.zab.nemesis.check;

import io.zab.nemesis.workload.Op;
import io.zab.testkit.lin.KvOp;
import io.zab.testkit.lin.LinearizabilityChecker;
import io.zab.testkit.lin.LinearizabilityResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks every key's history on its own with the testkit's {@link LinearizabilityChecker} (keys are
 * independent registers), so the report lists every key that is not linearizable, not only the first.
 */
public final class LinearizabilityCheck {
  /** The verdict on one key. */
  public record KeyVerdict(String key, LinearizabilityResult result) {}

  /** Keys that are not linearizable, keys the search could not decide, and how many keys were checked. */
  public record Report(int keysChecked, List<KeyVerdict> illegal, List<KeyVerdict> undecided) {
    public boolean linearizable() {
      return illegal.isEmpty() && undecided.isEmpty();
    }
  }

  private final LinearizabilityChecker checker;

  /** @param stepBudget the most search steps per key before the key is called undecided */
  public LinearizabilityCheck(long stepBudget) {
    this.checker = new LinearizabilityChecker(stepBudget);
  }

  public Report check(List<Op> ops) {
    Map<String, List<KvOp>> byKey = new TreeMap<>();
    for (KvOp op : HistoryModel.toModel(ops)) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<KeyVerdict> illegal = new ArrayList<>();
    List<KeyVerdict> undecided = new ArrayList<>();
    for (Map.Entry<String, List<KvOp>> e : byKey.entrySet()) {
      LinearizabilityResult r = checker.check(e.getValue());
      if (r.illegal()) {
        illegal.add(new KeyVerdict(e.getKey(), r));
      } else if (!r.legalHistory()) {
        undecided.add(new KeyVerdict(e.getKey(), r));
      }
    }
    return new Report(byKey.size(), illegal, undecided);
  }
}
