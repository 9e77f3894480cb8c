package io.zab.testkit;

import io.zab.Zxid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The application state machine a simulated server applies committed txns to (the same shape as the
 * runtime's state machine, so a user's implementation plugs into both with a one-line adapter).
 *
 * <pre>{@code
 * SimCluster cluster = SimCluster.builder().servers(3).seed(7).stateMachine(MyStateMachine::new).build();
 * }</pre>
 *
 * <p>The simulator calls it from its single thread only. Each simulated server gets its own instance.
 */
public interface SimStateMachine {
  /** Applies one committed txn; called in zxid order. */
  void apply(Zxid zxid, ByteBuffer txn);

  /** Writes the whole applied state (used for snapshots and SNAP sync). */
  void snapshot(OutputStream out) throws IOException;

  /** Replaces the state with one written by {@link #snapshot(OutputStream)}. */
  void restore(InputStream in) throws IOException;
}
