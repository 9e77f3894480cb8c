package io.zab.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The fsync calls the storage makes, behind an interface so tests can count them or inject failures.
 *
 * <p>{@link #SYSTEM} forwards to the operating system: {@code force(false)} (fdatasync) for file data and an
 * fsync of the directory itself for created, renamed and deleted entries.
 */
public interface FileSyncer {

  /** Forwards to the operating system. */
  FileSyncer SYSTEM = new FileSyncer() {};

  /** Makes the data written to {@code channel} durable (fdatasync). */
  default void syncData(FileChannel channel) throws IOException {
    channel.force(false);
  }

  /** Makes the creation, rename or deletion of entries in {@code dir} durable. */
  default void syncDirectory(Path dir) throws IOException {
    Directories.fsync(dir);
  }
}
