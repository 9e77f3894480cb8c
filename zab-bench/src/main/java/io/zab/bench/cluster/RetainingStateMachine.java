package io.zab.bench.cluster;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A state that holds the payloads themselves, the newest {@code capBytes} of them (the pressure benchmark's
 * state: a follower that missed 200 MiB must receive about that much to catch up). Deterministic: every
 * replica keeps the same window. Its {@link #snapshot()} captures an immutable view in O(payloads) reference
 * copies, without copying bytes, and the snapshot thread writes it while apply goes on.
 */
final class RetainingStateMachine implements StateMachine {
  private final long capBytes;
  private final ArrayDeque<byte[]> payloads = new ArrayDeque<>(); // apply thread only
  private long bytes;
  private long applied;

  RetainingStateMachine(long capBytes) {
    this.capBytes = capBytes;
  }

  @Override
  public void apply(Zxid zxid, ByteBuffer txn) {
    byte[] payload = new byte[txn.remaining()];
    txn.get(payload);
    payloads.addLast(payload);
    bytes += payload.length;
    applied++;
    while (bytes > capBytes && payloads.size() > 1) {
      bytes -= payloads.removeFirst().length;
    }
  }

  @Override
  public Snapshot snapshot() {
    List<byte[]> view = new ArrayList<>(payloads); // the arrays are never changed once applied
    long count = applied;
    return out -> write(count, view, out);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    snapshot().writeTo(out);
  }

  private static void write(long applied, List<byte[]> view, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(applied);
    data.writeInt(view.size());
    for (byte[] p : view) {
      data.writeInt(p.length);
      data.write(p);
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    payloads.clear();
    bytes = 0;
    applied = data.readLong();
    int n = data.readInt();
    for (int i = 0; i < n; i++) {
      byte[] p = new byte[data.readInt()];
      data.readFully(p);
      payloads.addLast(p);
      bytes += p.length;
    }
  }
}
