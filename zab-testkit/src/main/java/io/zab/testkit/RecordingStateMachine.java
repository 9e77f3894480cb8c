package io.zab.testkit;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A state machine for tests that only care about the log: it remembers every applied txn (zxid and payload)
 * in order, and its snapshot is that whole list. The default of {@link NodeCluster} and {@code @ZabTest}.
 *
 * <pre>{@code
 * RecordingStateMachine sm = cluster.stateMachine(2);
 * assertThat(sm.texts()).containsExactly("a", "b");
 * }</pre>
 *
 * <p>Thread-safe: reads from a test thread see a consistent list while the node's apply thread appends.
 */
public final class RecordingStateMachine implements StateMachine {
  /** Refuses snapshots claiming more txns than this (a damaged snapshot, not a real one). */
  private static final int MAX_SNAPSHOT_TXNS = 50_000_000;

  /**
   * One applied txn.
   *
   * @param zxid the txn's zxid
   * @param data its payload (the array is shared: do not change it)
   */
  public record Applied(Zxid zxid, byte[] data) {
    /**
     * The payload as UTF-8 text.
     *
     * @return {@code data} decoded as UTF-8
     */
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private final List<Applied> applied = new ArrayList<>();

  /** An empty state machine. */
  public RecordingStateMachine() {}

  @Override
  public synchronized void apply(Zxid zxid, ByteBuffer txn) {
    byte[] data = new byte[txn.remaining()];
    txn.get(data);
    applied.add(new Applied(zxid, data));
  }

  /**
   * Every txn applied so far, in zxid order (restored ones included).
   *
   * @return a copy of the list
   */
  public synchronized List<Applied> applied() {
    return List.copyOf(applied);
  }

  /**
   * The payloads applied so far, as UTF-8 text.
   *
   * @return one string per applied txn, in zxid order
   */
  public synchronized List<String> texts() {
    return applied.stream().map(Applied::text).toList();
  }

  /**
   * The zxid of the last applied txn.
   *
   * @return that zxid, or {@link Zxid#ZERO} if none was applied
   */
  public synchronized Zxid lastApplied() {
    return applied.isEmpty() ? Zxid.ZERO : applied.get(applied.size() - 1).zxid();
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(applied.size());
    for (Applied a : applied) {
      d.writeLong(a.zxid().value());
      d.writeInt(a.data().length);
      d.write(a.data());
    }
    d.flush();
  }

  @Override
  public synchronized void restore(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int n = d.readInt();
    if (n < 0 || n > MAX_SNAPSHOT_TXNS) {
      throw new IOException("RecordingStateMachine snapshot: bad txn count " + n + " at offset 0");
    }
    List<Applied> restored = new ArrayList<>(Math.min(n, 1 << 16));
    for (int i = 0; i < n; i++) {
      long zxid = d.readLong();
      int len = d.readInt();
      if (len < 0) {
        throw new IOException("RecordingStateMachine snapshot: txn " + i + " has a negative length " + len);
      }
      byte[] data = new byte[len];
      d.readFully(data);
      restored.add(new Applied(new Zxid(zxid), data));
    }
    applied.clear();
    applied.addAll(restored);
  }
}
