package io.zab.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** File-system helpers shared by the stores. */
final class Directories {
  private Directories() {}

  /** Fsyncs a directory so that entries created, renamed or deleted in it survive a crash (Linux). */
  static void fsync(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Lists the entries of {@code dir} whose file name matches {@code glob}. */
  static List<Path> list(Path dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(out::add);
    }
    return out;
  }

  /** Deletes leftover temp files ({@code *.tmp}) from an interrupted write; returns whether any was deleted. */
  static boolean deleteTempFiles(Path dir) throws IOException {
    List<Path> temps = list(dir, "*.tmp");
    for (Path p : temps) {
      Files.deleteIfExists(p);
    }
    if (!temps.isEmpty()) {
      fsync(dir);
    }
    return !temps.isEmpty();
  }
}
