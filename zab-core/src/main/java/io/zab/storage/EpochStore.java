package io.zab.storage;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The two epochs ZAB must never forget: the accepted epoch (promised in discovery) and the current epoch
 * (the epoch whose leader this node has synced with). Both live in one checksummed file, kept as two copies
 * ({@code epochs} and {@code epochs.2}); each copy is replaced atomically and durably, the first then the second,
 * before a setter returns, so a promise is announced only once both copies hold it and any one valid copy is
 * enough to recover every announced promise (see {@link EpochRecovery}).
 *
 * <p>File layout (28 bytes, big-endian): magic "ZABE" | version (int) | accepted (long) | current (long) |
 * crc32c of the previous 24 bytes. A torn or damaged copy is reported as such by {@link #read}, never read as
 * zero. Thread-safe.
 *
 * <pre>{@code
 * List<EpochCopy> found = EpochStore.read(dir);             // at start, before deciding (EpochRecovery)
 * EpochStore epochs = EpochStore.open(dir, accepted, current); // rewrites copies that do not hold these
 * epochs.setAcceptedEpoch(7);                                 // durable in both copies on return
 * }</pre>
 */
public final class EpochStore {
  static final String FILE_NAME = "epochs";
  static final String COPY_NAME = "epochs.2";
  private static final int MAGIC = 0x5A414245; // "ZABE"
  private static final int VERSION = 1;
  private static final int SIZE = 28;

  private final List<Path> files;
  private final FileSyncer syncer;
  private long accepted;
  private long current;

  private EpochStore(List<Path> files, FileSyncer syncer, long accepted, long current) {
    this.files = files;
    this.syncer = syncer;
    this.accepted = accepted;
    this.current = current;
  }

  /** The copies of the epoch file in {@code dir}, first the primary. */
  public static List<Path> files(Path dir) {
    return List.of(dir.resolve(FILE_NAME), dir.resolve(COPY_NAME));
  }

  /** Reads every copy in {@code dir} without changing anything (a missing directory has missing copies). */
  public static List<EpochCopy> read(Path dir) throws IOException {
    List<EpochCopy> out = new ArrayList<>();
    for (Path f : files(dir)) {
      out.add(readCopy(f));
    }
    return out;
  }

  private static EpochCopy readCopy(Path file) throws IOException {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return EpochCopy.missing(name);
    }
    if (bytes.length != SIZE) {
      return EpochCopy.damaged(name, "expected " + SIZE + " bytes, found " + bytes.length + " (torn write?)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(0) != MAGIC) {
      return EpochCopy.damaged(name, "not an epoch file (bad magic 0x" + Integer.toHexString(b.getInt(0)) + ")");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, SIZE - 4);
    if ((int) crc.getValue() != b.getInt(SIZE - 4)) {
      return EpochCopy.damaged(name, "checksum mismatch");
    }
    if (b.getInt(4) != VERSION) {
      return EpochCopy.damaged(name, "unsupported version " + b.getInt(4));
    }
    long accepted = b.getLong(8);
    long current = b.getLong(16);
    if (current > accepted || current < 0) {
      return EpochCopy.damaged(name, "current epoch " + current + " above accepted epoch " + accepted);
    }
    return EpochCopy.valid(name, accepted, current);
  }

  /**
   * Opens the store in {@code dir} holding {@code accepted}/{@code current} (as decided from {@link #read}):
   * creates the directory if needed, removes leftover temp files, and rewrites every copy that does not hold
   * exactly these epochs.
   */
  public static EpochStore open(Path dir, long accepted, long current) throws IOException {
    return open(dir, accepted, current, FileSyncer.SYSTEM);
  }

  /**
   * {@link #open(Path, long, long)} with the node's fsync hook: every directory fsync of the store (the rename of each
   * copy) goes through {@code syncer}; the copies' own fsync does not.
   */
  public static EpochStore open(Path dir, long accepted, long current, FileSyncer syncer) throws IOException {
    if (current > accepted || current < 0) {
      throw new IllegalArgumentException("need 0 <= current <= accepted, got current=" + current + " accepted=" + accepted);
    }
    Directories.createDurably(dir, syncer);
    EpochStore store = new EpochStore(files(dir), syncer, accepted, current);
    for (Path f : store.files) {
      Files.deleteIfExists(AtomicFiles.tempFor(f)); // an interrupted write; the old file is still whole
      EpochCopy c = readCopy(f);
      if (!c.isValid() || c.acceptedEpoch() != accepted || c.currentEpoch() != current) {
        AtomicFiles.replace(f, encode(accepted, current), syncer);
      }
    }
    return store;
  }

  public synchronized long acceptedEpoch() {
    return accepted;
  }

  public synchronized long currentEpoch() {
    return current;
  }

  /**
   * Durably records the accepted epoch.
   *
   * @throws IllegalStateException if {@code epoch} is below the current epoch or the accepted epoch (epochs
   *     never go back)
   */
  public synchronized void setAcceptedEpoch(long epoch) throws IOException {
    if (epoch < accepted || epoch < current) {
      throw new IllegalStateException("accepted epoch cannot go back: " + epoch + " < accepted " + accepted
          + " / current " + current);
    }
    write(epoch, current);
  }

  /**
   * Durably records the current epoch.
   *
   * @throws IllegalStateException if {@code epoch} is above the accepted epoch or below the current epoch
   */
  public synchronized void setCurrentEpoch(long epoch) throws IOException {
    if (epoch > accepted) {
      throw new IllegalStateException("current epoch " + epoch + " cannot exceed accepted epoch " + accepted);
    }
    if (epoch < current) {
      throw new IllegalStateException("current epoch cannot go back: " + epoch + " < " + current);
    }
    write(accepted, epoch);
  }

  private void write(long newAccepted, long newCurrent) throws IOException {
    for (Path f : files) { // one copy after the other: a crash leaves at least one whole
      AtomicFiles.replace(f, encode(newAccepted, newCurrent), syncer);
    }
    accepted = newAccepted;
    current = newCurrent;
  }

  private static ByteBuffer encode(long accepted, long current) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).putInt(VERSION).putLong(accepted).putLong(current);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, SIZE - 4);
    b.putInt((int) crc.getValue()).flip();
    return b;
  }
}
