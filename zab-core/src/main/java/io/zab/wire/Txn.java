package io.zab.wire;

import io.zab.Zxid;
import java.util.Arrays;
import java.util.Objects;

/**
 * One transaction of the replicated log: its zxid, its kind and its payload.
 *
 * <p>{@link Kind#APPLICATION} txns carry the application's opaque bytes and go to its state machine;
 * {@link Kind#CONFIG} txns carry a {@link Membership} (encoded by {@link MembershipCodec}) and change who takes
 * part in the ensemble; they are never handed to the state machine.
 *
 * <p>The payload array is owned by the record once constructed: callers must not mutate it.
 *
 * <pre>{@code
 * Txn t = new Txn(Zxid.of(2, 1), "set x=1".getBytes(UTF_8));   // an application txn
 * Message.Proposal p = new Message.Proposal(List.of(t));
 * }</pre>
 *
 * @param zxid the transaction id assigned by the leader
 * @param kind what the payload is
 * @param data the payload
 */
public record Txn(Zxid zxid, Kind kind, byte[] data) {

  /** What a txn carries; the codes are frozen (wire and disk formats). */
  public enum Kind {
    /** The application's bytes, applied by its state machine. Code 0. */
    APPLICATION,
    /** A membership (configuration change), applied by zab itself. Code 1. */
    CONFIG;

    /**
     * The frozen one-byte code of this kind.
     *
     * @return 0 or 1
     */
    public int code() {
      return this == APPLICATION ? 0 : 1;
    }

    /**
     * The kind with this code, or null if none has it.
     *
     * @param code a byte read from the wire or a file
     * @return the kind, or null
     */
    public static Kind fromCode(int code) {
      return switch (code) {
        case 0 -> APPLICATION;
        case 1 -> CONFIG;
        default -> null;
      };
    }
  }

  /**
   * Checks the fields.
   *
   * @param zxid the transaction id assigned by the leader
   * @param kind what the payload is
   * @param data the payload, owned by the record from now on
   */
  public Txn {
    Objects.requireNonNull(zxid, "zxid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(data, "data");
  }

  /**
   * An application txn.
   *
   * @param zxid the transaction id assigned by the leader
   * @param data the application payload, owned by the record from now on
   */
  public Txn(Zxid zxid, byte[] data) {
    this(zxid, Kind.APPLICATION, data);
  }

  /**
   * Whether this txn changes the membership.
   *
   * @return true for a {@link Kind#CONFIG} txn
   */
  public boolean isConfig() {
    return kind == Kind.CONFIG;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Txn t && zxid.equals(t.zxid) && kind == t.kind && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return (31 * zxid.hashCode() + kind.hashCode()) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Txn[" + zxid + (kind == Kind.CONFIG ? ", CONFIG" : "") + ", " + data.length + " bytes]";
  }
}
