package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lost, damaged and stale epoch files on real nodes (issue 14, item 1): a promise is forgotten only where that is
 * provably safe (a brand-new data directory); otherwise the start is refused with a message naming the file.
 * The table of cases is in docs/operations.md, "Corruption".
 */
class EpochFileFaultTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  private final List<String> acked = new ArrayList<>();

  private Path epochDir(long id) {
    return dir.resolve("server-" + id).resolve("epochs");
  }

  private List<Path> epochFiles(long id) throws IOException {
    try (Stream<Path> files = Files.list(epochDir(id))) {
      return files.sorted().toList();
    }
  }

  private long follower() {
    long leader = cluster.awaitLeader().serverId();
    return cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
  }

  /** Starts the cluster, commits {@code writes} txns and stops a follower; returns it. */
  private long stoppedFollowerAfter(int writes) throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    writeSome("a", writes);
    long victim = follower();
    cluster.stop(victim);
    return victim;
  }

  private void writeSome(String prefix, int n) throws Exception {
    long leader = cluster.awaitLeader().serverId();
    for (int i = 0; i < n; i++) {
      cluster.write(leader, prefix + i);
      acked.add(prefix + i);
    }
    cluster.awaitApplied(cluster.runningIds(), acked);
  }

  @Test
  void everyEpochFileLostWithALogRefusesTheStartNamingTheFile() throws Exception {
    long victim = stoppedFollowerAfter(5);
    List<Path> lost = epochFiles(victim);
    for (Path p : lost) {
      Files.delete(p);
    }

    // Before the fix this started with acceptedEpoch=0 currentEpoch=0 and voted with a forgotten promise.
    assertThatThrownBy(() -> cluster.start(victim)).isInstanceOf(IOException.class)
        .hasMessageContaining("refuses to start").hasMessageContaining(lost.get(0).toString())
        .hasMessageContaining("missing");
    assertThat(Files.list(epochDir(victim)).toList()).as("nothing changed on disk").isEmpty();
  }

  @Test
  void withEveryServersEpochFilesLostNoServerStartsInsteadOfEachLeaderDyingOnTheFirstWrite() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    writeSome("a", 3);
    for (long id : cluster.ids()) {
      cluster.stop(id);
    }
    cluster.startAll(); // a second epoch, so that the logs hold two epochs
    writeSome("b", 3);
    for (long id : cluster.ids()) {
      cluster.stop(id);
      for (Path p : epochFiles(id)) {
        Files.delete(p);
      }
    }
    for (long id : cluster.ids()) {
      assertThatThrownBy(() -> cluster.start(id)).as("server %d", id).isInstanceOf(IOException.class)
          .hasMessageContaining("refuses to start").hasMessageContaining(epochDir(id).toString());
    }
  }

  @Test
  void anEpochFileOlderThanTheLogRefusesTheStart() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    writeSome("a", 3);
    long victim = follower();
    Path backup = dir.resolve("backup");
    Files.createDirectories(backup);
    for (Path p : epochFiles(victim)) {
      Files.copy(p, backup.resolve(p.getFileName()));
    }
    for (long id : cluster.ids()) {
      cluster.stop(id);
    }
    cluster.startAll(); // a new epoch
    writeSome("b", 3);
    cluster.stop(victim);
    // An old backup of the epoch files is put back: the log holds txns of an epoch the files do not know.
    for (Path p : epochFiles(victim)) {
      Files.copy(backup.resolve(p.getFileName()), p, StandardCopyOption.REPLACE_EXISTING);
    }

    assertThatThrownBy(() -> cluster.start(victim)).isInstanceOf(IOException.class)
        .hasMessageContaining("refuses to start").hasMessageContaining("older than");
  }

  @Test
  void oneLostOrDamagedCopyIsRepairedFromTheOtherAndTheServerRejoins() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    writeSome("a", 3);
    long victim = follower();
    long epoch = cluster.node(victim).epoch();
    cluster.stop(victim);
    List<Path> copies = epochFiles(victim);
    assertThat(copies).as("two copies of the epochs").hasSize(2);
    byte[] whole = Files.readAllBytes(copies.get(0));
    Files.delete(copies.get(0));

    cluster.start(victim);
    writeSome("b", 2);
    assertThat(Files.readAllBytes(copies.get(0))).as("lost copy rewritten").hasSize(whole.length);
    assertThat(cluster.node(victim).epoch()).isGreaterThanOrEqualTo(epoch);

    cluster.stop(victim);
    byte[] second = Files.readAllBytes(copies.get(1));
    second[second.length / 2] ^= 0x10;
    Files.write(copies.get(1), second);
    ZabNode again = cluster.start(victim);
    writeSome("c", 2);
    assertThat(again.epoch()).isGreaterThanOrEqualTo(epoch);
    assertThat(Files.readAllBytes(copies.get(1))).as("damaged copy rewritten").isEqualTo(Files.readAllBytes(copies.get(0)));
  }

  @Test
  void bothCopiesDamagedRefusesTheStartNamingBoth() throws Exception {
    long victim = stoppedFollowerAfter(2);
    List<Path> copies = epochFiles(victim);
    for (Path p : copies) {
      Files.write(p, new byte[] {1, 2, 3});
    }
    assertThatThrownBy(() -> cluster.start(victim)).isInstanceOf(IOException.class)
        .hasMessageContaining("refuses to start").hasMessageContaining(copies.get(0).toString())
        .hasMessageContaining(copies.get(1).toString());
  }

  @Test
  void aDeletedLogDirectoryWithEpochFilesRefusesTheStart() throws Exception {
    long victim = stoppedFollowerAfter(2);
    Path logDir = dir.resolve("server-" + victim).resolve("log");
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(logDir);
    assertThatThrownBy(() -> cluster.start(victim)).isInstanceOf(IOException.class)
        .hasMessageContaining("refuses to start").hasMessageContaining(logDir.toString());
  }

  @Test
  void aBrandNewDataDirectoryStartsAndAWipedServerResyncs() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    writeSome("a", 3);
    long victim = follower();
    cluster.stop(victim);
    deleteRecursively(dir.resolve("server-" + victim)); // the documented operator action
    cluster.start(victim);
    writeSome("b", 2);
    assertThat(cluster.sm(victim).applied()).isEqualTo(acked);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
