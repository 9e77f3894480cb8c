package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.FileSyncer;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk faults: a failed fsync stops the node; a damaged log stops the start. */
class NodeFailureTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void aFailedFsyncStopsTheNodeForGoodWhileTheQuorumGoesOn() throws Exception {
    cluster = new LocalCluster(dir, 3);
    Map<Long, FailingDisk> disks = cluster.startAllWithDisks(FailingDisk::new);
    ZabNode leader = cluster.awaitLeader();
    cluster.write(leader.serverId(), "ok");
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    ZabNode broken = cluster.node(victim);

    disks.get(victim).broken.set(true);
    CompletableFuture<Zxid> inFlight = broken.submit(bytes("during failure"));
    awaitCondition(WAIT, () -> broken.role() == Role.LOOKING && inFlight.isDone(), () -> "server " + victim + " to stop");
    assertThatThrownBy(() -> broken.submit(bytes("after")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("fsync");

    List<Long> healthy = cluster.ids().stream().filter(id -> id != victim).toList();
    ZabNode survivor = cluster.awaitLeader(healthy);
    cluster.write(survivor.serverId(), "still committing");
    List<String> applied = cluster.sm(survivor.serverId()).applied();
    assertThat(applied).contains("ok", "still committing");
    if (inFlight.isCompletedExceptionally()) {
      assertThatThrownBy(inFlight::join).cause().isInstanceOf(ClosedException.class);
    } else {
      // The quorum of the two healthy servers may have committed it before the victim stopped.
      assertThat(applied).contains("during failure");
    }
  }

  @Test
  void aFollowerWhoseLogRefusesALeadersTxnStopsWithAClearErrorInsteadOfSilentlyNeverAckingAgain() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long misconfigured = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(misconfigured);
    ZabNode small = cluster.startWith(misconfigured, b -> b.maxTxnBytes(100)); // the others allow 1 MiB
    cluster.awaitLeader();

    cluster.write(leader.serverId(), "x".repeat(1_000)); // the leader and the third server commit it

    // The follower's log refuses the 1000-byte txn: it must not go on following as if it had stored it.
    awaitCondition(WAIT, () -> small.role() == Role.LOOKING, () -> "server " + misconfigured + " to stop");
    assertThatThrownBy(() -> small.submit(bytes("after")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("maxTxnBytes");
  }

  /** A disk whose data fsyncs fail once broken. */
  static final class FailingDisk implements FileSyncer {
    final AtomicBoolean broken = new AtomicBoolean();

    @Override
    public void syncData(FileChannel channel) throws IOException {
      if (broken.get()) {
        throw new IOException("injected fsync failure");
      }
      channel.force(false);
    }
  }

  /**
   * A record damaged in the middle of the leader's log (valid records after it) is repaired at restart, not refused:
   * the damaged segment goes into quarantine (nothing deleted), the marker says the server is repairing until the new
   * leader, elected by the other two, has synced it; then the marker is gone and it has every write again.
   */
  @Test
  void aDamagedLogRecordFollowedByGoodOnesIsRepairedFromTheOthers() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    List<String> written = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cluster.write(leader.serverId(), "payload-" + (100 + i));
      written.add("payload-" + (100 + i));
    }
    long victim = leader.serverId();
    cluster.awaitApplied(cluster.ids(), written);
    cluster.stop(victim);
    Path data = dir.resolve("server-" + victim);
    Path segment = flipByteOf(data.resolve("log"), "payload-105");

    ZabNode repaired = cluster.start(victim);
    assertThat(repaired.role()).as("never a leader while repairing").isNotEqualTo(Role.LEADING);
    assertThat(repaired.status().repairingPast()).as("the status says it repairs, and past which zxid")
        .hasValueSatisfying(z -> assertThat(z.counter()).isGreaterThanOrEqualTo(6));
    assertThat(Files.list(data.resolve("quarantine")).map(p -> p.getFileName().toString()).toList())
        .as("the damaged segment is set aside, named with the damage offset")
        .anySatisfy(n -> assertThat(n).startsWith(segment.getFileName() + ".damaged-at-"));
    awaitCondition(WAIT, () -> !Files.exists(data.resolve("repairing")) && repaired.role() == Role.FOLLOWING,
        () -> "repair of server " + victim + " done: " + repaired.role());
    cluster.awaitApplied(cluster.ids(), written);
    awaitCondition(WAIT, () -> repaired.status().repairingPast().isEmpty(), () -> "status: " + repaired.status());
    cluster.write(cluster.awaitLeader().serverId(), "after-repair");
    written.add("after-repair");
    cluster.awaitApplied(cluster.ids(), written);
  }

  /** Corrupts one byte of {@code marker} in whichever log file holds it; returns that file. */
  private static Path flipByteOf(Path logDir, String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.toList()) {
        byte[] b = Files.readAllBytes(f);
        int at = indexOf(b, needle);
        if (at >= 0) {
          b[at + needle.length - 1] ^= 0x7f;
          Files.write(f, b);
          return f;
        }
      }
    }
    throw new AssertionError("no log file under " + logDir + " holds " + marker);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
