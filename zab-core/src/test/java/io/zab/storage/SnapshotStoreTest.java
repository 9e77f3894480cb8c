package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  @TempDir Path dir;

  java.util.List<Path> files() throws IOException {
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Rewrites a file in dir through {@code change}; returns its path. */
  Path damage(String name, UnaryOperator<byte[]> change) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, change.apply(Files.readAllBytes(file)));
    return file;
  }

  static byte[] content(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static void write(SnapshotStore store, Zxid zxid, byte[] data) throws IOException {
    try (SnapshotWriter w = store.begin(zxid)) {
      // in two parts, to stream rather than write at once
      w.output().write(data, 0, data.length / 2);
      w.output().write(data, data.length / 2, data.length - data.length / 2);
      w.commit();
    }
  }

  static byte[] read(SnapshotStore store, Zxid zxid) throws IOException {
    try (InputStream in = store.open(zxid)) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripAcrossReopen() throws IOException {
    byte[] data = content(300_000, 1);
    write(SnapshotStore.open(dir), Zxid.of(2, 40), data);
    SnapshotStore store = SnapshotStore.open(dir);
    assertThat(store.list()).containsExactly(Zxid.of(2, 40));
    assertThat(store.latest()).contains(Zxid.of(2, 40));
    assertThat(store.size(Zxid.of(2, 40))).isEqualTo(data.length);
    assertThat(read(store, Zxid.of(2, 40))).isEqualTo(data);
    assertThat(dir.resolve("snapshot.0000000200000028")).exists();
  }

  @Test
  void emptySnapshotIsValid() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    write(store, Zxid.ZERO, new byte[0]);
    assertThat(read(store, Zxid.ZERO)).isEmpty();
    assertThat(store.latest()).contains(Zxid.ZERO);
  }

  @Test
  void aFlippedBitIsDetectedAtTheEndOfTheStream() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    write(store, Zxid.of(1, 5), content(10_000, 2));
    Path file = damage("snapshot.0000000100000005", bytes -> {
      bytes[5_000] ^= 0x10;
      return bytes;
    });
    assertThatThrownBy(() -> read(store, Zxid.of(1, 5))).isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("checksum");
  }

  @Test
  void aTruncatedFileIsDetected() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    write(store, Zxid.of(1, 5), content(1_000, 3));
    Path file = damage("snapshot.0000000100000005", bytes -> Arrays.copyOf(bytes, bytes.length - 1));
    assertThatThrownBy(() -> store.open(Zxid.of(1, 5))).isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void latestSkipsACorruptNewestSnapshot() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    write(store, Zxid.of(1, 5), content(1_000, 4));
    write(store, Zxid.of(1, 9), content(1_000, 5));
    damage("snapshot.0000000100000009", bytes -> {
      bytes[10] ^= 1;
      return bytes;
    });
    assertThat(store.list()).containsExactly(Zxid.of(1, 5), Zxid.of(1, 9));
    assertThat(store.latest()).contains(Zxid.of(1, 5));
  }

  @Test
  void unfinishedAndAbortedSnapshotsLeaveNoFile() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    SnapshotWriter w = store.begin(Zxid.of(1, 1));
    w.output().write(content(100, 6));
    w.output().flush();
    assertThat(files()).hasSize(1); // the temp file, not a snapshot
    assertThat(store.list()).isEmpty();
    SnapshotStore.open(dir); // a restart removes the leftover temp file
    assertThat(files()).isEmpty();
    w.abort();

    try (SnapshotWriter aborted = store.begin(Zxid.of(1, 2))) {
      aborted.output().write(1);
    } // closed without commit
    assertThat(files()).isEmpty();
    assertThat(store.latest()).isEmpty();
  }

  @Test
  void deleteOlderThanKeepsTheGivenAndNewer() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    for (long c = 1; c <= 4; c++) {
      write(store, Zxid.of(1, c), content(10, c));
    }
    assertThat(store.deleteOlderThan(Zxid.of(1, 3))).isEqualTo(2);
    assertThat(store.list()).containsExactly(Zxid.of(1, 3), Zxid.of(1, 4));
    assertThatThrownBy(() -> store.begin(Zxid.of(1, 4))).isInstanceOf(IllegalStateException.class);
  }
}
