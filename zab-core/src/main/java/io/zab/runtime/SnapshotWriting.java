package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.wire.Membership;
import java.io.IOException;
import java.io.InputStream;

/** Where the node's snapshots are saved (by the snapshot thread) and read back (by the apply thread). */
interface SnapshotWriting {
  /**
   * Durably stores {@code snapshot}, the state after {@code at}, as the snapshot at {@code at}, with a header
   * naming {@code membership}, the membership in force at {@code at} (null: unknown).
   */
  void write(Zxid at, Membership membership, StateMachine.Snapshot snapshot) throws IOException;

  /**
   * Opens the stored snapshot at {@code at}: its {@code SnapshotHeader}, then the state machine's bytes; the stream
   * verifies its checksum at the end.
   */
  InputStream open(Zxid at) throws IOException;
}
