package io.zab;

import java.io.ByteArrayOutputStream;
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
 * <p>Threading: {@code apply}, {@code restore} and {@code snapshot} are called by one thread at a time (the
 * node's apply thread, or the thread calling {@link ZabNode#start()} for the initial restore), never
 * concurrently. The {@link Snapshot} a {@code snapshot()} call returns is written later by the node's snapshot
 * thread while {@code apply} goes on. Reads from other threads must synchronize with {@code apply} themselves.
 * Methods must not block on the node's own futures ({@code node.submit(..).join()} inside {@code apply}
 * deadlocks).
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
   * Called on the apply thread by the default {@link #snapshot()}. A state machine that overrides
   * {@link #snapshot()} may implement this as {@code snapshot().writeTo(out)}.
   *
   * @param out where the state goes
   * @throws IOException if the state cannot be written; the snapshot is skipped and tried again later
   */
  void snapshot(OutputStream out) throws IOException;

  /**
   * Captures the whole current state (everything applied so far) as a {@link Snapshot} that the node writes
   * and fsyncs later, on its snapshot thread, while {@code apply} goes on: a slow disk then delays the
   * snapshot, never applies or commits. Called on the apply thread every {@code snapshotEveryTxns} applied
   * transactions (or 64 MiB of payload), and not again while the previous snapshot is still being written.
   *
   * <p>The default serializes the state right away with {@link #snapshot(OutputStream)} into memory and
   * returns those bytes: simple and always consistent, but apply pauses for the serialization and the node
   * holds a serialized copy of the state until it is on disk. A state machine whose state is immutable or
   * copy-on-write can do better and capture a view in constant time:
   *
   * <pre>{@code
   * private volatile PersistentMap<String, String> map;  // replaced, never changed, by apply()
   *
   * public Snapshot snapshot() {
   *   PersistentMap<String, String> view = map;          // the state after the last applied txn
   *   return out -> writeMap(view, out);                 // runs later, on the snapshot thread
   * }
   * }</pre>
   *
   * @return the captured state, written later
   * @throws IOException if the state cannot be written; the snapshot is skipped and tried again later
   */
  default Snapshot snapshot() throws IOException {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    snapshot(copy);
    return copy::writeTo;
  }

  /**
   * Replaces the whole state with the one written by {@link #snapshot}. Called at start (from the latest
   * local snapshot) and when the leader ships a snapshot to a server that is too far behind. Do not close
   * {@code in}.
   *
   * @param in a snapshot's bytes
   * @throws IOException if the snapshot cannot be read; the node does not start (or resync) then
   */
  void restore(InputStream in) throws IOException;

  /**
   * A consistent view of the state, captured by {@link StateMachine#snapshot()} on the apply thread and
   * written once, later, by the node's snapshot thread ({@code zab-snapshot-<id>}), concurrently with
   * {@code apply}. It must therefore not read state that {@code apply} changes meanwhile.
   */
  @FunctionalInterface
  interface Snapshot {
    /**
     * Writes the captured state to {@code out} in the format {@link StateMachine#restore} reads. Do not close it.
     *
     * @param out the snapshot file's stream
     * @throws IOException if it cannot be written; the snapshot is skipped and tried again later
     */
    void writeTo(OutputStream out) throws IOException;
  }
}
