package io.zab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fsync calls a node's storage makes (log, epochs, snapshots), behind an interface so that tests can count
 * them, slow them down or make them fail; production code keeps the default, {@link #SYSTEM}.
 *
 * <p>{@link #SYSTEM} forwards to the operating system: {@code force(false)} (fdatasync) for file data and an
 * fsync of the directory itself for created, renamed and deleted entries. A syncer that throws tells the node its
 * disk failed: the node stops for good and never acknowledges again (docs/embedding.md, Durability).
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
