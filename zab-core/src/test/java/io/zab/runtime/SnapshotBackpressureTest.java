package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.transport.LocalNetwork;
import io.zab.wire.Message;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.SnapChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S7 SNAP with a follower that reads slowly: the leader streams the snapshot only as fast as the transport takes
 * it, without holding the protocol thread or overrunning the connection's bound, and the rest of the sync stream
 * still follows the whole snapshot.
 */
class SnapshotBackpressureTest {
  private static final Zxid AT = Zxid.of(1, 10);
  private static final int CHUNKS = 6;
  /** Messages the link holds before it resets the connection; writable below half of it. */
  private static final int LINK_CAPACITY = 4;

  @TempDir
  Path dir;

  @Test
  void S7_aSnapshotLargerThanTheLinkStreamsAsTheFollowerReadsIt() throws Exception {
    LocalNetwork net = LocalNetwork.create(LINK_CAPACITY, UnaryOperator.identity());
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir, net)) {
      CountDownLatch followerReads = new CountDownLatch(1);
      BlockingQueue<Message> follower = f.connectFollower(followerReads);
      new LocalSnapshots(f.snapshots).write(AT, null, SnapshotRetentionTest.content(AT,
          SnapshotSender.CHUNK_BYTES * CHUNKS - io.zab.wire.SnapshotHeader.encode(null).length)); // header + state

      // Returns although the follower reads nothing yet: the protocol thread is not held by the transfer.
      f.runner.run(List.of(new SendSnapshot(2, AT), new Send(2, new NewLeader(2, AT))));
      assertThat(net.connected(1, 2)).as("the link was not overrun").isTrue();

      followerReads.countDown();
      List<Message> got = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!(last(got) instanceof NewLeader) && System.nanoTime() < deadline) {
        Message m = follower.poll(20, TimeUnit.MILLISECONDS);
        if (m != null) {
          got.add(m);
        }
        f.runner.run(List.of()); // a tick's batch: sends what the link takes now
      }

      assertThat(net.connected(1, 2)).as("the link was not overrun").isTrue();
      assertThat(got).hasSize(CHUNKS + 1).last().isInstanceOf(NewLeader.class);
      for (int i = 0; i < CHUNKS; i++) {
        SnapChunk c = (SnapChunk) got.get(i);
        assertThat(c.offset()).isEqualTo((long) i * SnapshotSender.CHUNK_BYTES);
        assertThat(c.last()).isEqualTo(i == CHUNKS - 1);
      }
      assertThat(f.runner.takeFeedback()).isEmpty();
    }
  }

  private static Message last(List<Message> got) {
    return got.isEmpty() ? null : got.get(got.size() - 1);
  }
}
