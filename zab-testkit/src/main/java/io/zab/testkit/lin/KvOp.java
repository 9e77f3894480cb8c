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
 *
 * <pre>{@code
 * List<KvOp> history = List.of(
 *     KvOp.write(1, "x", "a", 0, 10),
 *     KvOp.read(2, "x", "a", 5, 12),                   // overlaps the write: may see it
 *     KvOp.cas(3, "x", "a", "b", 15, KvOp.UNKNOWN));   // never answered
 * LinearizabilityResult r = new LinearizabilityChecker(1_000_000).check(history);
 * }</pre>
 *
 * @param id the operation's id, for reports
 * @param key the register it works on
 * @param write true for a write (a compare-and-set included), false for a read
 * @param value what a read returned (null: key absent), or what a write wrote
 * @param call when the client invoked it
 * @param ret when the client got the answer, after {@code call}; {@link #UNKNOWN} if it never did (writes only)
 * @param client a free-form label for reports
 * @param cas true for a compare-and-set
 * @param expected the value a compare-and-set expected (null: absent); null for any other operation
 */
public record KvOp(long id, String key, boolean write, String value, long call, long ret, String client, boolean cas,
    String expected) {
  /** The return time of an operation whose outcome is unknown. */
  public static final long UNKNOWN = Long.MAX_VALUE;

  /**
   * Checks the fields.
   *
   * @param id the operation's id
   * @param key the register it works on
   * @param write true for a write
   * @param value what a read returned, or what a write wrote (not null)
   * @param call when it was invoked
   * @param ret when it was answered, after {@code call}; {@link #UNKNOWN} for a write only
   * @param client a label for reports
   * @param cas true for a compare-and-set, which is a write
   * @param expected a compare-and-set's expected value; null for any other operation
   * @throws IllegalArgumentException naming the op and the field that breaks one of these rules
   */
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

  /**
   * A plain read or write.
   *
   * @param id the operation's id
   * @param key the register it works on
   * @param write true for a write
   * @param value what a read returned (null: key absent), or what a write wrote
   * @param call when it was invoked
   * @param ret when it was answered, after {@code call}; {@link #UNKNOWN} for a write only
   * @param client a label for reports
   */
  public KvOp(long id, String key, boolean write, String value, long call, long ret, String client) {
    this(id, key, write, value, call, ret, client, false, null);
  }

  /**
   * A plain write without a report label.
   *
   * @param id the operation's id
   * @param key the register it writes
   * @param value what it wrote
   * @param call when it was invoked
   * @param ret when it was answered, after {@code call}; {@link #UNKNOWN} if never
   * @return the operation
   */
  public static KvOp write(long id, String key, String value, long call, long ret) {
    return new KvOp(id, key, true, value, call, ret, "");
  }

  /**
   * A read without a report label.
   *
   * @param id the operation's id
   * @param key the register it reads
   * @param value what it returned (null: key absent)
   * @param call when it was invoked
   * @param ret when it was answered, after {@code call}
   * @return the operation
   */
  public static KvOp read(long id, String key, String value, long call, long ret) {
    return new KvOp(id, key, false, value, call, ret, "");
  }

  /**
   * A compare-and-set that swapped {@code expected} (null: absent) for {@code value}, without a report label.
   *
   * @param id the operation's id
   * @param key the register it works on
   * @param expected the value it expected (null: absent)
   * @param value what it wrote
   * @param call when it was invoked
   * @param ret when it was answered, after {@code call}; {@link #UNKNOWN} if never
   * @return the operation
   */
  public static KvOp cas(long id, String key, String expected, String value, long call, long ret) {
    return new KvOp(id, key, true, value, call, ret, "", true, expected);
  }

  /**
   * The same op with its return unknown (it was still running at a cut of the history).
   *
   * @return a copy whose {@code ret} is {@link #UNKNOWN}
   */
  public KvOp unanswered() {
    return new KvOp(id, key, write, value, call, UNKNOWN, client, cas, expected);
  }

  /**
   * The same op with a report label.
   *
   * @param label the new {@code client} label
   * @return a copy labelled {@code label}
   */
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
