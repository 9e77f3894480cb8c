package io.zab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The application's replicated state: every server applies the same committed transactions in the same zxid
 * order, so every replica reaches the same state.
 *
 * <pre>{@code
 * final class Counter implements StateMachine {
 *   private long value;   // only touched on the apply thread
 *
 *   public void apply(Zxid zxid, ByteBuffer txn) { value += txn.getLong(); }
 *   public void snapshot(OutputStream out) throws IOException { new DataOutputStream(out).writeLong(value); }
 *   public void restore(InputStream in) throws IOException { value = new DataInputStream(in).readLong(); }
 * }
 * }</pre>
 *
 * <p>Threading: all three methods are called by one thread at a time (the node's apply thread, or the thread
 * calling {@link ZabNode#start()} for the initial restore), never concurrently. Reads from other threads
 * must synchronize with {@code apply} themselves. Methods must not block on the node's own futures
 * ({@code node.submit(..).join()} inside {@code apply} deadlocks).
 */
public interface StateMachine {

  /**
   * Applies one committed transaction. Called in strictly increasing zxid order, each committed zxid exactly
   * once per process lifetime (after a restart, from the zxid after the restored snapshot). Must be
   * deterministic: the same transactions must produce the same state on every server.
   *
   * @param zxid the transaction's id
   * @param txn the payload as submitted, read-only; valid only during this call
   */
  void apply(Zxid zxid, ByteBuffer txn);

  /**
   * Writes the whole current state (everything applied so far) to {@code out}. Do not close {@code out}.
   * Called on the apply thread every {@code snapshotEveryTxns} applied transactions.
   */
  void snapshot(OutputStream out) throws IOException;

  /**
   * Replaces the whole state with the one written by {@link #snapshot}. Called at start (from the latest
   * local snapshot) and when the leader ships a snapshot to a server that is too far behind. Do not close
   * {@code in}.
   */
  void restore(InputStream in) throws IOException;
}
