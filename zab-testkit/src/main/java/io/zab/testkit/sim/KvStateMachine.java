package io.zab.testkit.sim;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workload's model state machine: a string key-value map. A txn is {@code key=value} in UTF-8
 * ({@link #put(String, String)}); the workload makes every value unique so that a lost or invented write
 * shows up in reads.
 */
public final class KvStateMachine implements StateMachine {
  private final TreeMap<String, String> data = new TreeMap<>();

  /** An empty store. */
  public KvStateMachine() {}

  /**
   * Encodes a put of {@code value} under {@code key}.
   *
   * @param key the key, without '='
   * @param value the value
   * @return the txn's payload
   * @throws IllegalArgumentException if the key contains '='
   */
  public static byte[] put(String key, String value) {
    if (key.indexOf('=') >= 0) {
      throw new IllegalArgumentException("key must not contain '=': " + key);
    }
    return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The key a txn written by {@link #put(String, String)} writes.
   *
   * @param txn the txn's payload
   * @return its key
   * @throws IllegalArgumentException if it is not a put
   */
  public static String keyOf(byte[] txn) {
    String s = new String(txn, StandardCharsets.UTF_8);
    int eq = s.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("not a put txn (no '='): " + s);
    }
    return s.substring(0, eq);
  }

  /**
   * Reads one key.
   *
   * @param key the key
   * @return its value, or null if it was never written
   */
  public String get(String key) {
    return data.get(key);
  }

  /**
   * The whole store.
   *
   * @return a copy of every key and value
   */
  public Map<String, String> contents() {
    return Map.copyOf(data);
  }

  @Override
  public void apply(Zxid zxid, ByteBuffer txn) {
    byte[] bytes = new byte[txn.remaining()];
    txn.get(bytes);
    String s = new String(bytes, StandardCharsets.UTF_8);
    int eq = s.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("txn " + zxid + " is not a put (no '='): " + s);
    }
    data.put(s.substring(0, eq), s.substring(eq + 1));
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.size());
    for (Map.Entry<String, String> e : data.entrySet()) {
      d.writeUTF(e.getKey());
      d.writeUTF(e.getValue());
    }
    d.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    data.clear();
    int n = d.readInt();
    for (int i = 0; i < n; i++) {
      data.put(d.readUTF(), d.readUTF());
    }
  }
}
