package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.zab.ClosedException;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, item 3: a data directory deleted under a running server is noticed at the next fsync and stops the
 * server through the fatal path (it must not acknowledge writes into deleted files); a data directory with a
 * sub-directory the server cannot write fails at {@code start()}, naming that directory.
 */
class DataDirectoryLossTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  /** Starts the cluster and commits one txn; returns the leader. */
  private ZabNode startAndWrite() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    cluster.write(leader.serverId(), "before");
    return leader;
  }

  private Path dataDir(long id) {
    return dir.resolve("server-" + id);
  }

  @Test
  void aLeaderWhoseDataDirectoryIsDeletedStopsInsteadOfAcknowledgingTheNextWrite() throws Exception {
    ZabNode leader = startAndWrite();
    List<Long> others = cluster.ids().stream().filter(id -> id != leader.serverId()).toList();
    cluster.stop(others.get(1)); // the leader's own fsync is now needed for every commit

    EpochFileFaultTest.deleteRecursively(dataDir(leader.serverId()));

    // Before the fix the write was acknowledged, counting the leader's fsync into a deleted file.
    assertThatThrownBy(() -> leader.submit(bytes("after")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("data directory");
    awaitCondition(WAIT, () -> leader.role() == Role.LOOKING, () -> "the leader to stop");
    assertThatThrownBy(() -> leader.submit(bytes("later")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("fatal");

    cluster.start(others.get(1));
    ZabNode survivor = cluster.awaitLeader(others);
    cluster.write(survivor.serverId(), "still committing");
    assertThat(cluster.sm(survivor.serverId()).applied()).contains("before", "still committing");
  }

  @Test
  void aFollowerWhoseDataDirectoryIsDeletedStopsAtItsNextFsync() throws Exception {
    ZabNode leader = startAndWrite();
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    ZabNode follower = cluster.node(victim);

    EpochFileFaultTest.deleteRecursively(dataDir(victim));
    cluster.write(leader.serverId(), "after"); // the leader and the third server commit it

    awaitCondition(WAIT, () -> follower.role() == Role.LOOKING, () -> "server " + victim + " to stop");
    assertThatThrownBy(() -> follower.submit(bytes("x")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("data directory");
  }

  @Test
  void anIdleServerWhoseDataDirectoryIsDeletedStopsWithoutWaitingForAWrite() throws Exception {
    ZabNode leader = startAndWrite();
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    ZabNode follower = cluster.node(victim);

    EpochFileFaultTest.deleteRecursively(dataDir(victim)); // and nobody writes

    awaitCondition(WAIT, () -> follower.role() == Role.LOOKING, () -> "server " + victim + " to stop");
    assertThatThrownBy(() -> follower.submit(bytes("x")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("data directory");
  }

  @Test
  void aSnapshotDirectoryTheServerCannotWriteFailsTheStartNamingIt() throws Exception {
    // Even root cannot create files in sysfs: a stand-in for a read-only mount or a directory of another user.
    Path unwritable = Path.of("/sys/kernel");
    assumeThat(Files.isDirectory(unwritable) && !canCreateFileIn(unwritable)).isTrue();
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(victim);
    Path snapshots = dataDir(victim).resolve("snapshots");
    EpochFileFaultTest.deleteRecursively(snapshots); // no snapshot was taken yet: nothing is lost
    Files.createSymbolicLink(snapshots, unwritable);

    // Before the fix the start succeeded and every snapshot attempt failed later.
    assertThatThrownBy(() -> cluster.start(victim)).isInstanceOf(IOException.class)
        .hasMessageContaining(snapshots.toString()).hasMessageContaining("cannot write");
  }

  @ParameterizedTest
  @ValueSource(strings = {"epochs", "log", "snapshots"})
  void aSubDirectoryWithoutWritePermissionFailsTheStartNamingIt(String sub) throws Exception {
    assumeThat(System.getProperty("user.name")).as("root ignores permissions").isNotEqualTo("root");
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(victim);
    Path target = dataDir(victim).resolve(sub);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertThatThrownBy(() -> cluster.start(victim)).isInstanceOf(IOException.class)
          .hasMessageContaining(target.toString()).hasMessageContaining("cannot write");
    } finally {
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean canCreateFileIn(Path d) {
    try {
      Files.delete(Files.createTempFile(d, "probe", ".tmp"));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
