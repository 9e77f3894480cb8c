package io.zab.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable whole-file replacement: write a temp file, fsync it, rename it over the target, fsync the directory. */
final class AtomicFiles {
  private AtomicFiles() {}

  static Path tempFor(Path target) {
    return target.resolveSibling(target.getFileName() + ".tmp");
  }

  static void replace(Path target, ByteBuffer content) throws IOException {
    Path tmp = tempFor(target);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (content.hasRemaining()) {
        ch.write(content);
      }
      ch.force(true);
    }
    moveDurably(tmp, target);
  }

  /** Renames {@code from} over {@code to} atomically and fsyncs the directory. */
  static void moveDurably(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Directories.fsync(to.toAbsolutePath().getParent());
  }
}
