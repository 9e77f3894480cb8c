package io.zab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fsync calls a node's storage makes, behind an interface so that tests can count them, slow them down or make
 * them fail; production code keeps the default, {@link #SYSTEM}. Every fsync of the log's files goes through it, and
 * every directory fsync of every store (log, epochs, snapshots, the quarantine, the repair marker); the fsync of an
 * epoch file's or a snapshot file's own data does not.
 *
 * <p>{@link #SYSTEM} forwards to the operating system: {@code force(false)} (fdatasync) for file data and an
 * fsync of the directory itself for created, renamed and deleted entries. A syncer that throws tells the node its
 * disk failed: a failed fsync of the log or the epochs stops the node for good, and it never acknowledges again
 * (docs/embedding.md, Durability); a failed snapshot is retried later (the log keeps every txn). A failed directory
 * fsync is reported with the directory's path.
 *
 * <pre>{@code
 * AtomicBoolean broken = new AtomicBoolean();
 * FileSyncer breakable = new FileSyncer() {
 *   @Override public void syncData(FileChannel channel) throws IOException {
 *     if (broken.get()) { throw new IOException("disk failed (injected)"); }
 *     FileSyncer.super.syncData(channel);
 *   }
 * };
 * ZabNode node = ZabNode.builder()...fileSyncer(breakable).build();
 * broken.set(true);   // the next fsync fails: node.stopped() completes exceptionally
 * }</pre>
 *
 * <p>Implementations must be thread-safe: the log writer, the snapshot thread and the protocol thread call them.
 */
public interface FileSyncer {

  /** Forwards to the operating system. */
  FileSyncer SYSTEM = new FileSyncer() {};

  /**
   * Makes the data written to {@code channel} durable (fdatasync).
   *
   * @param channel an open channel of a file the node wrote
   * @throws IOException if the data could not be made durable; the node then stops
   */
  default void syncData(FileChannel channel) throws IOException {
    channel.force(false);
  }

  /**
   * Makes the creation, rename or deletion of entries in {@code dir} durable (an fsync of the directory).
   *
   * @param dir a directory of the node's data directory
   * @throws IOException if the entries could not be made durable; the node then stops
   */
  default void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
