package io.zab.transport.netty;

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

/** Remembers every applied payload in order; its snapshot is that list. */
final class ListStateMachine implements StateMachine {
  private final List<String> applied = new ArrayList<>();

  @Override
  public synchronized void apply(Zxid zxid, ByteBuffer txn) {
    byte[] b = new byte[txn.remaining()];
    txn.get(b);
    applied.add(new String(b, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(applied.size());
    for (String s : applied) {
      d.writeUTF(s);
    }
    d.flush();
  }

  @Override
  public synchronized void restore(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    applied.clear();
    for (int n = d.readInt(); n > 0; n--) {
      applied.add(d.readUTF());
    }
  }

  synchronized List<String> applied() {
    return List.copyOf(applied);
  }
}
