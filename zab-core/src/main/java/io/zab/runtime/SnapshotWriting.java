package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.IOException;
import java.io.InputStream;

/** Where the apply thread saves the state machine's snapshots and reads them back. */
interface SnapshotWriting {
  /** Durably stores {@code sm}'s current state as the snapshot at {@code at}. */
  void write(Zxid at, StateMachine sm) throws IOException;

  /** Opens the stored snapshot at {@code at}; the stream verifies its checksum at the end. */
  InputStream open(Zxid at) throws IOException;
}
