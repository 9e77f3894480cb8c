package io.zab.testkit.lin;

import java.util.Objects;

/**
 * One client operation on a key-value register, as seen by the client: invoked at {@code call}, answered at
 * {@code ret} (both on one logical clock; {@link #UNKNOWN} when it never answered: a write of unknown
 * outcome may take effect at any time after its call, or never). A read's {@code value} is what it
 * returned (null: key absent); a write's is what it wrote. {@code client} is a free-form label for reports
 * (which server, when).
 *
 * <p>A compare-and-set ({@code cas}, a write) that swapped wrote {@code value} where the register held
 * {@code expected} (null: absent). One whose outcome is unknown may have swapped, found another value and
 * changed nothing, or never happened. A compare-and-set that answered "no match, the value is v" is a read
 * of v. {@code KvOp.cas(...)} builds one.
 */
public record KvOp(long id, String key, boolean write, String value, long call, long ret, String client, boolean cas,
    String expected) {
  /** The return time of an operation whose outcome is unknown. */
  public static final long UNKNOWN = Long.MAX_VALUE;

  public KvOp {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(client, "client");
    if (ret <= call) {
      throw new IllegalArgumentException("op " + id + ": return " + ret + " must follow call " + call);
    }
    if (write && value == null) {
      throw new IllegalArgumentException("op " + id + ": a write needs a value");
    }
    if (!write && ret == UNKNOWN) {
      throw new IllegalArgumentException("op " + id + ": a read without an answer tells nothing; leave it out");
    }
    if (cas && !write) {
      throw new IllegalArgumentException("op " + id + ": a compare-and-set is a write");
    }
    if (!cas && expected != null) {
      throw new IllegalArgumentException("op " + id + ": only a compare-and-set has an expected value");
    }
  }

  /** A plain read or write. */
  public KvOp(long id, String key, boolean write, String value, long call, long ret, String client) {
    this(id, key, write, value, call, ret, client, false, null);
  }

  public static KvOp write(long id, String key, String value, long call, long ret) {
    return new KvOp(id, key, true, value, call, ret, "");
  }

  public static KvOp read(long id, String key, String value, long call, long ret) {
    return new KvOp(id, key, false, value, call, ret, "");
  }

  /** A compare-and-set that swapped {@code expected} (null: absent) for {@code value}; ret UNKNOWN if unanswered. */
  public static KvOp cas(long id, String key, String expected, String value, long call, long ret) {
    return new KvOp(id, key, true, value, call, ret, "", true, expected);
  }

  /** The same op with its return unknown (it was still running at a cut of the history). */
  public KvOp unanswered() {
    return new KvOp(id, key, write, value, call, UNKNOWN, client, cas, expected);
  }

  /** The same op with a report label. */
  public KvOp by(String label) {
    return new KvOp(id, key, write, value, call, ret, label, cas, expected);
  }

  @Override
  public String toString() {
    String what = cas ? "cas(" + key + ", " + expected + " -> " + value + ")"
        : write ? "write(" + key + ", " + value + ")" : "read(" + key + ") -> " + value;
    return what + " ["
        + call + ", " + (ret == UNKNOWN ? "?" : ret) + "]" + (client.isEmpty() ? "" : " " + client);
  }
}
