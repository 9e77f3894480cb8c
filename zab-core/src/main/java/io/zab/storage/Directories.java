package io.zab.storage;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** File-system helpers shared by the stores (and the runtime, for the data directory itself). */
public final class Directories {
  private Directories() {}

  /**
   * Creates {@code dir} and any missing parent, and makes each created entry durable in its parent: a file fsynced
   * inside a directory whose own entry was never fsynced can vanish with it in a power loss (the data directory, the
   * log and snapshot directories, the quarantine). Does nothing for a directory that already exists.
   *
   * @param syncer the node's fsync hook (its {@code syncDirectory} is called on each parent of a created level)
   */
  public static void createDurably(Path dir, FileSyncer syncer) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = target; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p); // the top-most missing level ends up first
    }
    if (missing.isEmpty()) {
      return;
    }
    Files.createDirectories(target);
    for (Path created : missing) {
      syncer.syncDirectory(created.getParent());
    }
  }

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
