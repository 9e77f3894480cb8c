package io.zab.bench.cluster;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The benchmark's application state: counts applied transactions and their bytes (the cheapest honest
 * state machine; ZooKeeper's setData likewise only replaces a byte array in memory).
 */
final class CountingStateMachine implements StateMachine {

  private long applied;
  private long bytes;

  @Override
  public void apply(Zxid zxid, ByteBuffer txn) {
    applied++;
    bytes += txn.remaining();
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(applied);
    data.writeLong(bytes);
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    applied = data.readLong();
    bytes = data.readLong();
  }
}
