package io.zab.examples.kv;

import io.zab.examples.codec.BinaryIn;
import io.zab.examples.codec.BinaryOut;
import java.io.IOException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The key-value map. Each entry carries its version: the zxid value of the txn that last wrote it. */
final class KvData {

  private final TreeMap<String, Entry> entries = new TreeMap<>();

  Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** Returns the previous entry, if any. */
  Optional<Entry> put(String key, String value, long version) {
    return Optional.ofNullable(entries.put(key, new Entry(value, version)));
  }

  Optional<Entry> remove(String key) {
    return Optional.ofNullable(entries.remove(key));
  }

  int size() {
    return entries.size();
  }

  /** A copy of the entries whose key starts with {@code prefix}, in key order. */
  SortedMap<String, Entry> withPrefix(String prefix) {
    return new TreeMap<>(entries.subMap(prefix, prefix + Character.MAX_VALUE));
  }

  void writeTo(BinaryOut out) throws IOException {
    out.writeInt(entries.size());
    for (var e : entries.entrySet()) {
      out.writeString(e.getKey()).writeString(e.getValue().value()).writeLong(e.getValue().version());
    }
  }

  static KvData readFrom(BinaryIn in) throws IOException {
    KvData d = new KvData();
    int n = in.readCount("data.count", Integer.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      String field = "data[" + i + "]";
      String key = in.readString(field + ".key");
      d.entries.put(key, new Entry(in.readString(field + ".value"), in.readLong(field + ".version")));
    }
    return d;
  }
}
