package io.zab.wire;

import io.zab.Zxid;
import java.util.Arrays;
import java.util.Objects;

/**
 * One transaction of the replicated log: its zxid and the application's opaque payload.
 *
 * <p>The payload array is owned by the record once constructed: callers must not mutate it.
 *
 * <pre>{@code
 * Txn t = new Txn(Zxid.of(2, 1), "set x=1".getBytes(UTF_8));
 * Message.Proposal p = new Message.Proposal(List.of(t));
 * }</pre>
 *
 * @param zxid the transaction id assigned by the leader
 * @param data the application payload
 */
public record Txn(Zxid zxid, byte[] data) {
  /**
   * Checks the fields.
   *
   * @param zxid the transaction id assigned by the leader
   * @param data the application payload, owned by the record from now on
   */
  public Txn {
    Objects.requireNonNull(zxid, "zxid");
    Objects.requireNonNull(data, "data");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Txn t && zxid.equals(t.zxid) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * zxid.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Txn[" + zxid + ", " + data.length + " bytes]";
  }
}
