package io.zab.nemesis.workload;

import java.util.Objects;

/**
 * One client operation as recorded: who sent it where, what it asked, when (microseconds since the run
 * started, from one monotonic clock) and how it ended. {@code value} is what a write wrote; {@code expected}
 * what a compare-and-set expected (null: absent); {@code observed} what a read returned, or the current value
 * a mismatching compare-and-set reported (null: absent).
 */
public record Op(long id, String client, int node, OpKind kind, String key, String value, String expected,
    long call, long ret, Outcome outcome, String observed) {

  public Op {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    if (ret <= call) {
      throw new IllegalArgumentException("op " + id + ": return " + ret + " must follow call " + call);
    }
    if (kind != OpKind.READ && value == null) {
      throw new IllegalArgumentException("op " + id + ": a " + kind + " needs a value");
    }
    if (outcome == Outcome.MISMATCH && kind != OpKind.CAS) {
      throw new IllegalArgumentException("op " + id + ": only a compare-and-set can mismatch");
    }
  }

  public boolean write() {
    return kind != OpKind.READ;
  }

  /** A tab-separated line for the history file ({@code -} for null). */
  public String toTsv() {
    return String.join("\t", Long.toString(id), client, Integer.toString(node), kind.name(), key, dash(value),
        dash(expected), Long.toString(call), Long.toString(ret), outcome.name(), dash(observed));
  }

  /** The header of {@link #toTsv()}. */
  public static String tsvHeader() {
    return "id\tclient\tnode\tkind\tkey\tvalue\texpected\tcall_us\tret_us\toutcome\tobserved";
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
