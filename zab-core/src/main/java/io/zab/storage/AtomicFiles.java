package io.zab.storage;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable whole-file replacement: write a temp file, fsync it, rename it over the target, fsync the directory (through
 * the node's {@link FileSyncer}; the small file's own fsync is direct).
 */
final class AtomicFiles {
  private AtomicFiles() {}

  static Path tempFor(Path target) {
    return target.resolveSibling(target.getFileName() + ".tmp");
  }

  static void replace(Path target, ByteBuffer content, FileSyncer syncer) throws IOException {
    Path tmp = tempFor(target);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (content.hasRemaining()) {
        ch.write(content);
      }
      ch.force(true);
    }
    moveDurably(tmp, target, syncer);
  }

  /** Renames {@code from} over {@code to} atomically and fsyncs the directory. */
  static void moveDurably(Path from, Path to, FileSyncer syncer) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Directories.sync(to.toAbsolutePath().getParent(), syncer);
  }
}
