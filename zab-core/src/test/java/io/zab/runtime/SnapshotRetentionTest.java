package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.protocol.Event;
import io.zab.protocol.Event.PeerDisconnected;
import io.zab.protocol.Event.SnapshotTaken;
import io.zab.wire.Message;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Ping;
import io.zab.wire.Message.SnapChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S7 SNAP on the leader: a snapshot stays on disk while the core may still name it in a SendSnapshot, and one
 * that cannot be read abandons that follower's sync instead of stopping the leader.
 */
class SnapshotRetentionTest {
  private static final Zxid Z1 = Zxid.of(1, 10);
  private static final Zxid Z2 = Zxid.of(1, 20);
  private static final Zxid Z3 = Zxid.of(1, 30);

  @TempDir
  Path dir;

  @Test
  void S7_snapshotsWrittenBeforeTheCoreHearsOfThemDoNotDeleteTheOneItNames() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      BlockingQueue<Message> follower = f.connectFollower(new CountDownLatch(0));
      LocalSnapshots local = new LocalSnapshots(f.snapshots);
      // The apply thread writes three snapshots; the core has handled only the SnapshotTaken of the first.
      for (Zxid z : List.of(Z1, Z2, Z3)) {
        local.write(z, null, content(z, 100));
      }
      f.runner.batchDone(List.of(new SnapshotTaken(Z1)));

      f.runner.run(List.of(new SendSnapshot(2, Z1), new Send(2, new NewLeader(2, Z3))));

      assertThat(f.runner.takeFeedback()).as("the sync was not abandoned").isEmpty();
      SnapChunk only = (SnapChunk) follower.poll(5, TimeUnit.SECONDS);
      assertThat(only.snapshotZxid()).isEqualTo(Z1);
      assertThat(only.last()).isTrue();
      assertThat(follower.poll(5, TimeUnit.SECONDS)).isInstanceOf(NewLeader.class);
    }
  }

  @Test
  void S7_snapshotsAreRetiredOnlyOnceTheCoreKnowsNewerOnes() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      LocalSnapshots local = new LocalSnapshots(f.snapshots);
      for (Zxid z : List.of(Z1, Z2, Z3)) {
        local.write(z, null, content(z, 100));
      }
      f.runner.batchDone(List.of(new SnapshotTaken(Z2)));
      f.awaitRetired();
      assertThat(local.sorted()).as("Z1 and Z2 are the two the core may name; Z3 is not known yet")
          .containsExactly(Z1, Z2, Z3);

      f.runner.batchDone(List.of(new SnapshotTaken(Z3)));
      f.awaitRetired();
      assertThat(local.sorted()).containsExactly(Z2, Z3);
    }
  }

  @Test
  void theSnapshotDirectoryIsListedOnlyAfterTheCoreLearnsOfANewerSnapshot() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      LocalSnapshots local = new LocalSnapshots(f.snapshots);
      SnapshotRetention retention = new SnapshotRetention(1, local, f.logWriter, Zxid.ZERO, Runnable::run,
          (what, e) -> {});
      for (Zxid z : List.of(Z1, Z2, Z3)) {
        local.write(z, null, content(z, 100));
      }
      retention.retire(); // at start: one look
      for (int batch = 0; batch < 100; batch++) {
        retention.retire(); // batches that told the core of no snapshot
      }
      assertThat(retention.listings()).isEqualTo(1);
      retention.coreKnows(Z3);
      retention.coreKnows(Z3);
      retention.retire();
      retention.retire();
      assertThat(retention.listings()).isEqualTo(2);
      assertThat(local.sorted()).containsExactly(Z2, Z3);
    }
  }

  @Test
  void S7_aMissingSnapshotAbandonsThatFollowersSyncAndTheLeaderGoesOn() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      BlockingQueue<Message> follower = f.connectFollower(new CountDownLatch(0));

      f.runner.run(List.of(new SendSnapshot(2, Z1), new Send(2, new NewLeader(2, Z3))));

      List<Event> owed = f.runner.takeFeedback();
      assertThat(owed).containsExactly(new PeerDisconnected(2));
      f.runner.beforeBatch(owed); // the protocol loop hands these to the core at once
      assertNothingArrivedBeforeAMarker(f, follower);
    }
  }

  @Test
  void S7_aDamagedSnapshotIsNeverFollowedByTheRestOfTheSyncStream() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      BlockingQueue<Message> follower = f.connectFollower(new CountDownLatch(0));
      new LocalSnapshots(f.snapshots).write(Z1, null, content(Z1, SnapshotSender.CHUNK_BYTES * 2 + 1_000));
      damageEverySnapshotIn(dir.resolve("snapshots"));

      f.runner.run(List.of(new SendSnapshot(2, Z1), new Send(2, new NewLeader(2, Z3))));

      List<Event> owed = f.runner.takeFeedback();
      assertThat(owed).containsExactly(new PeerDisconnected(2));
      f.runner.beforeBatch(owed); // the protocol loop hands these to the core at once
      // The checksum fails only at the end: the first chunk may have left, but never a last chunk or NEWLEADER.
      f.runner.run(List.of(new Send(2, marker())));
      Message m;
      while ((m = follower.poll(5, TimeUnit.SECONDS)) instanceof SnapChunk c) {
        assertThat(c.last()).as("a chunk of a damaged snapshot marked last").isFalse();
      }
      assertThat(m).as("what follows the partial snapshot").isEqualTo(marker());
    }
  }

  /** Sends a ping in a later batch and checks it is the first thing the follower got (FIFO per peer). */
  private static void assertNothingArrivedBeforeAMarker(ActionRunnerFixture f, BlockingQueue<Message> follower)
      throws Exception {
    f.runner.run(List.of(new Send(2, marker())));
    assertThat(follower.poll(5, TimeUnit.SECONDS)).isEqualTo(marker());
  }

  private static Ping marker() {
    return new Ping(Zxid.of(9, 9));
  }

  /** A snapshot of {@code bytes} pseudo-random bytes seeded by {@code z}. */
  static StateMachine.Snapshot content(Zxid z, int bytes) {
    return out -> {
      byte[] b = new byte[bytes];
      new Random(z.hashCode()).nextBytes(b);
      out.write(b);
    };
  }

  /** Flips a byte in the middle of every snapshot file in {@code snapshotDir}: each then fails its checksum. */
  static void damageEverySnapshotIn(Path snapshotDir) throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(snapshotDir)) {
      files = listed.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long at = ch.size() / 2;
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, at);
        one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
        ch.write(one, at);
      }
    }
  }

}
