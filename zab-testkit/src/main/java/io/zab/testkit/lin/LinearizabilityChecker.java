package io.zab.testkit.lin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether a key-value history is linearizable, by the Wing–Gong search with Lowe's memoization: a
 * depth-first search over which pending operation takes effect next, that never revisits a (set of
 * linearized operations, register value) pair it has already explored. Keys are independent registers, so
 * the history is split per key and each sub-history checked on its own (P-compositionality).
 *
 * <p>A write whose outcome is unknown ({@link KvOp#UNKNOWN} return) is treated as returning after every
 * other operation: it may take effect anywhere after its call, or (by taking effect at the very end)
 * never. A compare-and-set takes effect only where the register holds its expected value, except an
 * unanswered one, which may also take effect as a no-op (it found another value).
 *
 * <pre>{@code
 * List<KvOp> history = List.of(
 *     KvOp.write(1, "x", "a", 0, 10),
 *     KvOp.write(2, "x", "b", 20, 30),
 *     KvOp.read(3, "x", "a", 40, 50));     // stale: b was written before this read began
 * LinearizabilityResult r = new LinearizabilityChecker(1_000_000).check(history);
 * assertThat(r.legalHistory()).as(r.describe(20)).isTrue();   // fails: ILLEGAL history for key 'x' ...
 * }</pre>
 *
 * <p>Immutable: one checker may check many histories, from any thread.
 */
public final class LinearizabilityChecker {
  private record Visited(BitSet linearized, String state) {}

  private record Frame(int entry, String stateBefore) {}

  private final long stepBudget;

  /** @param stepBudget the most search steps spent on one key before giving up with UNDECIDED */
  public LinearizabilityChecker(long stepBudget) {
    this.stepBudget = stepBudget;
  }

  /**
   * Checks a history, key by key in key order; stops at the first key with no linearization.
   *
   * @param history every operation of the run, in any order; every register starts absent
   * @return {@code ILLEGAL} with the first such key, else {@code UNDECIDED} with the first key whose search ran
   *     out of steps, else {@code LEGAL}
   */
  public LinearizabilityResult check(Collection<KvOp> history) {
    Map<String, List<KvOp>> byKey = new TreeMap<>();
    for (KvOp op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    LinearizabilityResult undecided = null;
    for (Map.Entry<String, List<KvOp>> e : byKey.entrySet()) {
      LinearizabilityResult.Verdict v = checkRegister(e.getValue());
      if (v == LinearizabilityResult.Verdict.ILLEGAL) {
        return new LinearizabilityResult(v, e.getKey(), shortestIllegalPrefix(e.getValue()));
      }
      if (v == LinearizabilityResult.Verdict.UNDECIDED && undecided == null) {
        undecided = new LinearizabilityResult(v, e.getKey(), sorted(e.getValue()));
      }
    }
    return undecided != null ? undecided : LinearizabilityResult.legal();
  }

  /**
   * The ops up to the first point in time where the history stops being linearizable (prefixes of a
   * linearizable history are linearizable, so this is a binary search): the last op shown is the culprit.
   * An op still running at the cut is left out if a read, or kept as unknown-outcome if a write.
   */
  private List<KvOp> shortestIllegalPrefix(List<KvOp> ops) {
    long[] times = ops.stream().mapToLong(KvOp::ret).filter(t -> t != KvOp.UNKNOWN).sorted().distinct().toArray();
    int lo = 0;
    int hi = times.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (checkRegister(prefix(ops, times[mid])) == LinearizabilityResult.Verdict.ILLEGAL) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return times.length == 0 ? sorted(ops) : sorted(prefix(ops, times[lo]));
  }

  private static List<KvOp> prefix(List<KvOp> ops, long cut) {
    List<KvOp> p = new ArrayList<>();
    for (KvOp op : ops) {
      if (op.ret() <= cut) {
        p.add(op);
      } else if (op.write() && op.call() < cut) {
        p.add(op.unanswered());
      }
    }
    return p;
  }

  private static List<KvOp> sorted(List<KvOp> ops) {
    List<KvOp> s = new ArrayList<>(ops);
    s.sort(Comparator.comparingLong(KvOp::call));
    return List.copyOf(s);
  }

  /** One register (key); initial value absent (null). */
  private LinearizabilityResult.Verdict checkRegister(List<KvOp> ops) {
    int n = ops.size();
    // Entries 0..n-1 are calls, n..2n-1 returns; index 2n is the list head.
    Integer[] order = new Integer[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(e -> e < n ? ops.get(e).call() : ops.get(e - n).ret())
        .thenComparingInt(e -> e < n ? 0 : 1) // a call at the same instant as a return overlaps it
        .thenComparingInt(e -> e));
    int head = 2 * n;
    int[] next = new int[2 * n + 1];
    int[] prev = new int[2 * n + 1];
    int last = head;
    for (int e : order) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = -1;

    String state = null;
    BitSet linearized = new BitSet(n);
    Set<Visited> cache = new HashSet<>();
    ArrayDeque<Frame> calls = new ArrayDeque<>();
    int entry = next[head];
    long steps = 0;
    while (next[head] != -1) {
      if (++steps > stepBudget) {
        return LinearizabilityResult.Verdict.UNDECIDED;
      }
      if (entry < n) {
        KvOp op = ops.get(entry);
        boolean ok = allowed(op, state);
        String after = after(op, state);
        if (ok) {
          BitSet tried = (BitSet) linearized.clone();
          tried.set(entry);
          if (cache.add(new Visited(tried, after))) {
            calls.push(new Frame(entry, state));
            state = after;
            linearized.set(entry);
            lift(entry, entry + n, next, prev);
            entry = next[head];
            continue;
          }
        }
        entry = next[entry];
      } else {
        // A return of an operation not yet linearized: undo the last choice.
        if (calls.isEmpty()) {
          return LinearizabilityResult.Verdict.ILLEGAL;
        }
        Frame f = calls.pop();
        state = f.stateBefore;
        linearized.clear(f.entry);
        unlift(f.entry, f.entry + n, next, prev);
        entry = next[f.entry];
      }
    }
    return LinearizabilityResult.Verdict.LEGAL;
  }

  /** Whether {@code op} can take effect when the register holds {@code state}. */
  private static boolean allowed(KvOp op, String state) {
    if (!op.write()) {
      return Objects.equals(state, op.value());
    }
    // An unanswered compare-and-set may have found another value and changed nothing: always possible.
    return !op.cas() || op.ret() == KvOp.UNKNOWN || Objects.equals(state, op.expected());
  }

  /** The register after {@code op} took effect on {@code state}. */
  private static String after(KvOp op, String state) {
    if (!op.write()) {
      return state;
    }
    if (op.cas() && !Objects.equals(state, op.expected())) {
      return state; // only an unanswered one gets here: it found another value
    }
    return op.value();
  }

  private static void lift(int call, int ret, int[] next, int[] prev) {
    remove(call, next, prev);
    remove(ret, next, prev);
  }

  private static void remove(int e, int[] next, int[] prev) {
    next[prev[e]] = next[e];
    if (next[e] != -1) {
      prev[next[e]] = prev[e];
    }
  }

  private static void unlift(int call, int ret, int[] next, int[] prev) {
    restore(ret, next, prev);
    restore(call, next, prev);
  }

  private static void restore(int e, int[] next, int[] prev) {
    if (next[e] != -1) {
      prev[next[e]] = e;
    }
    next[prev[e]] = e;
  }
}
