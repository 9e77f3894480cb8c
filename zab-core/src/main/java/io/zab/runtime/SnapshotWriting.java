package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.IOException;
import java.io.InputStream;

/** Where the node's snapshots are saved (by the snapshot thread) and read back (by the apply thread). */
interface SnapshotWriting {
  /** Durably stores {@code snapshot}, the state after {@code at}, as the snapshot at {@code at}. */
  void write(Zxid at, StateMachine.Snapshot snapshot) throws IOException;

  /** Opens the stored snapshot at {@code at}; the stream verifies its checksum at the end. */
  InputStream open(Zxid at) throws IOException;
}
