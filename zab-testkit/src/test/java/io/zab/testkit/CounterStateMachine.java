package io.zab.testkit;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** A user's state machine as in docs/testing.md: a counter that every txn increments by its 8-byte amount. */
final class CounterStateMachine implements StateMachine {
  private long value;

  static byte[] increment() {
    return ByteBuffer.allocate(8).putLong(1).array();
  }

  long value() {
    return value;
  }

  @Override
  public void apply(Zxid zxid, ByteBuffer txn) {
    value += txn.getLong();
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    new DataOutputStream(out).writeLong(value);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    value = new DataInputStream(in).readLong();
  }
}
