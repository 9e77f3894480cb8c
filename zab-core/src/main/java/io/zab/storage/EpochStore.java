package io.zab.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The two epochs ZAB must never forget: the accepted epoch (promised in discovery) and the current epoch
 * (the epoch whose leader this node has synced with). Both live in one checksummed file that is replaced
 * atomically on every change, durably before the setter returns.
 *
 * <p>File layout (28 bytes, big-endian): magic "ZABE" | version (int) | accepted (long) | current (long) |
 * crc32c of the previous 24 bytes. A missing file on a fresh directory reads as 0/0; a torn or damaged file
 * throws {@link CorruptStateException} and is never read as zero. Thread-safe.
 */
public final class EpochStore {
  static final String FILE_NAME = "epochs";
  private static final int MAGIC = 0x5A414245; // "ZABE"
  private static final int VERSION = 1;
  private static final int SIZE = 28;

  private final Path file;
  private long accepted;
  private long current;

  private EpochStore(Path file, long accepted, long current) {
    this.file = file;
    this.accepted = accepted;
    this.current = current;
  }

  /** Opens the store in {@code dir}, creating the directory if needed and removing a leftover temp file. */
  public static EpochStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    Files.deleteIfExists(AtomicFiles.tempFor(file)); // an interrupted write; the old file is still whole
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new EpochStore(file, 0, 0);
    }
    if (bytes.length != SIZE) {
      throw new CorruptStateException(file, "expected " + SIZE + " bytes, found " + bytes.length + " (torn write?)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(0) != MAGIC) {
      throw new CorruptStateException(file, "not an epoch file (bad magic 0x" + Integer.toHexString(b.getInt(0)) + ")");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, SIZE - 4);
    if ((int) crc.getValue() != b.getInt(SIZE - 4)) {
      throw new CorruptStateException(file, "checksum mismatch");
    }
    if (b.getInt(4) != VERSION) {
      throw new CorruptStateException(file, "unsupported version " + b.getInt(4));
    }
    long accepted = b.getLong(8);
    long current = b.getLong(16);
    if (current > accepted || current < 0) {
      throw new CorruptStateException(file, "current epoch " + current + " above accepted epoch " + accepted);
    }
    return new EpochStore(file, accepted, current);
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
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).putInt(VERSION).putLong(newAccepted).putLong(newCurrent);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, SIZE - 4);
    b.putInt((int) crc.getValue()).flip();
    AtomicFiles.replace(file, b);
    accepted = newAccepted;
    current = newCurrent;
  }
}
