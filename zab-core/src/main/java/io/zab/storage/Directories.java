package io.zab.storage;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
      sync(created.getParent(), syncer);
    }
  }

  /**
   * Makes the entries created, renamed or deleted in {@code dir} durable through the node's fsync hook (so that a
   * test's counting or failing syncer sees every directory fsync of the stores); a failure names the directory.
   *
   * @throws IOException if the syncer failed: what was renamed or deleted there may not survive a crash
   */
  public static void sync(Path dir, FileSyncer syncer) throws IOException {
    try {
      syncer.syncDirectory(dir);
    } catch (IOException e) {
      throw new IOException("fsync of directory " + dir + " failed (entries created, renamed or deleted in it may"
          + " not survive a crash): " + e.getMessage(), e);
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
}
