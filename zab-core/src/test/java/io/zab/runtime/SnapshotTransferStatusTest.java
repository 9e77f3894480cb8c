package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabStatus.SnapshotTransfer;
import io.zab.ZabStatus.SnapshotTransfer.Direction;
import io.zab.Zxid;
import io.zab.protocol.Action.DiscardSnapshot;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.transport.LocalNetwork;
import io.zab.wire.Message;
import io.zab.wire.Message.SnapChunk;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S7 SNAP in the status: a snapshot being sent (bytes so far and total) or received (bytes so far). */
class SnapshotTransferStatusTest {
  private static final Zxid AT = Zxid.of(1, 10);
  private static final int CHUNKS = 6;

  @TempDir
  Path dir;

  @Test
  void aSnapshotBeingSentShowsItsProgressAndTotalUntilItIsDone() throws Exception {
    LocalNetwork net = LocalNetwork.create(4, UnaryOperator.identity()); // holds 4 messages: the transfer waits
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir, net)) {
      CountDownLatch followerReads = new CountDownLatch(1);
      BlockingQueue<Message> follower = f.connectFollower(followerReads);
      new LocalSnapshots(f.snapshots).write(AT, null, SnapshotRetentionTest.content(AT, SnapshotSender.CHUNK_BYTES * CHUNKS));
      long total = f.snapshots.size(AT);

      f.runner.run(List.of(new SendSnapshot(2, AT)));
      List<SnapshotTransfer> during = f.runner.snapshotTransfers(0);
      assertThat(during).hasSize(1);
      SnapshotTransfer t = during.get(0);
      assertThat(t.peer()).isEqualTo(2);
      assertThat(t.direction()).isEqualTo(Direction.SENDING);
      assertThat(t.snapshotZxid()).isEqualTo(AT);
      assertThat(t.totalBytes()).isEqualTo(OptionalLong.of(total));
      assertThat(t.bytes()).as("part of it, the link being full").isPositive().isLessThan(total);

      followerReads.countDown();
      int chunks = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (chunks < CHUNKS && System.nanoTime() < deadline) {
        if (follower.poll(20, TimeUnit.MILLISECONDS) instanceof SnapChunk) {
          chunks++;
        }
        f.runner.run(List.of()); // a tick's batch: sends what the link takes now
      }
      assertThat(chunks).isEqualTo(CHUNKS);
      assertThat(f.runner.snapshotTransfers(0)).as("done").isEmpty();
    }
  }

  @Test
  void aSnapshotBeingReceivedShowsTheBytesSoFarUntilItIsDiscarded() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      byte[] chunk = new byte[1000];
      f.runner.run(List.of(new InstallSnapshot(new SnapChunk(AT, 0, chunk, false)),
          new InstallSnapshot(new SnapChunk(AT, 1000, chunk, false))));
      assertThat(f.runner.snapshotTransfers(3)).containsExactly(
          new SnapshotTransfer(3, Direction.RECEIVING, AT, 2000, OptionalLong.empty()));

      f.runner.run(List.of(new DiscardSnapshot())); // the sync broke off
      assertThat(f.runner.snapshotTransfers(3)).isEmpty();
    }
  }
}
