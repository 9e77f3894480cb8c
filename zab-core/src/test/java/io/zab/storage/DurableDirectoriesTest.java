package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory the node creates (data directory, log, snapshots, epochs, quarantine) must be durable in its parent
 * before anything fsynced inside it counts: otherwise a power loss can take back the directory, and every
 * acknowledged record in it, even though each file in it was fsynced.
 */
class DurableDirectoriesTest {
  @TempDir Path tmp;

  /** Records the directories synced, in order, and really syncs them. */
  static final class RecordingSyncer implements FileSyncer {
    final List<Path> directories = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void syncDirectory(Path dir) throws IOException {
      directories.add(dir.toAbsolutePath().normalize());
      FileSyncer.super.syncDirectory(dir);
    }
  }

  @Test
  void everyCreatedLevelIsSyncedInItsParentTopDown() throws IOException {
    RecordingSyncer syncer = new RecordingSyncer();
    Path root = tmp.toAbsolutePath().normalize();
    Directories.createDurably(root.resolve("a/b/c"), syncer);
    assertThat(root.resolve("a/b/c")).isDirectory();
    assertThat(syncer.directories).containsExactly(root, root.resolve("a"), root.resolve("a/b"));
  }

  @Test
  void anExistingDirectoryCostsNoSync() throws IOException {
    RecordingSyncer syncer = new RecordingSyncer();
    Directories.createDurably(tmp, syncer);
    assertThat(syncer.directories).isEmpty();
  }

  @Test
  void aFreshLogDirectoryIsDurableInTheDataDirectoryAndTheDataDirectoryInItsParent() throws IOException {
    RecordingSyncer syncer = new RecordingSyncer();
    Path root = tmp.toAbsolutePath().normalize();
    try (TxnLog log = TxnLog.open(root.resolve("data/log"), TxnLogOptions.defaults().withSyncer(syncer))) {
      assertThat(log.lastZxid()).isNotNull();
    }
    assertThat(syncer.directories).startsWith(root, root.resolve("data"));
  }

  /** The class of bug: no storage or runtime code creates a directory except through {@link Directories}. */
  @Test
  void noMainCodeCreatesADirectoryWithoutMakingItDurable() throws IOException {
    Path main = Path.of("src/main/java/io/zab");
    assertThat(main).isDirectory();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(main)) {
      offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("Directories.java"))
          .filter(p -> read(p).contains("Files.createDirectories(") || read(p).contains("Files.createDirectory("))
          .map(Path::toString)
          .toList();
    }
    assertThat(offenders).as("use Directories.createDurably instead").isEmpty();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
