package io.zab.runtime;

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

/** A state machine that remembers every applied txn as "zxid=payload"; its snapshot is that list. */
public final class RecordingStateMachine implements StateMachine {
  private final List<String> applied = new ArrayList<>();
  private final List<Zxid> zxids = new ArrayList<>();
  private int restores;

  @Override
  public synchronized void apply(Zxid zxid, ByteBuffer txn) {
    if (!zxids.isEmpty() && zxid.compareTo(zxids.get(zxids.size() - 1)) <= 0) {
      throw new AssertionError("apply out of order: " + zxid + " after " + zxids.get(zxids.size() - 1));
    }
    byte[] b = new byte[txn.remaining()];
    txn.get(b);
    applied.add(new String(b, StandardCharsets.UTF_8));
    zxids.add(zxid);
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(applied.size());
    for (int i = 0; i < applied.size(); i++) {
      d.writeLong(zxids.get(i).value());
      d.writeUTF(applied.get(i));
    }
    d.flush();
  }

  @Override
  public synchronized void restore(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int n = d.readInt();
    applied.clear();
    zxids.clear();
    for (int i = 0; i < n; i++) {
      zxids.add(new Zxid(d.readLong()));
      applied.add(d.readUTF());
    }
    restores++;
  }

  /** The payloads applied so far, in order (restored ones included). */
  public synchronized List<String> applied() {
    return List.copyOf(applied);
  }

  public synchronized List<Zxid> zxids() {
    return List.copyOf(zxids);
  }

  public synchronized int restores() {
    return restores;
  }
}
