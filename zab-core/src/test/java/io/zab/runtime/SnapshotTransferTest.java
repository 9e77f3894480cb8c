package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Member;
import io.zab.Zxid;
import io.zab.storage.SnapshotStore;
import io.zab.storage.SnapshotWriter;
import io.zab.transport.LocalNetwork;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import io.zab.wire.Message.SnapChunk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S7 SNAP: a stored snapshot streamed in chunks through a transport and stored by the receiver. */
class SnapshotTransferTest {
  @TempDir
  Path dir;

  @Test
  void S7_aSnapshotLargerThanOneChunkArrivesWholeAndInOrder() throws Exception {
    byte[] content = new byte[SnapshotSender.CHUNK_BYTES * 2 + 12_345];
    new Random(7).nextBytes(content);
    Zxid at = Zxid.of(3, 99);
    SnapshotStore leaderStore = SnapshotStore.open(dir.resolve("leader"));
    try (SnapshotWriter w = leaderStore.begin(at)) {
      w.output().write(content);
      w.commit();
    }
    SnapshotStore followerStore = SnapshotStore.open(dir.resolve("follower"));
    SnapshotReceiver receiver = new SnapshotReceiver(followerStore);
    CompletableFuture<Zxid> installed = new CompletableFuture<>();
    List<Long> offsets = new CopyOnWriteArrayList<>();

    LocalNetwork net = LocalNetwork.create();
    List<Member> members = List.of(Member.local(1), Member.local(2));
    try (Transport leader = net.transport(1, members); Transport follower = net.transport(2, members)) {
      follower.start(new Transport.Inbound() {
        @Override
        public void received(long from, Message m) {
          SnapChunk c = (SnapChunk) m;
          offsets.add(c.offset());
          try {
            Zxid done = receiver.accept(c);
            if (done != null) {
              installed.complete(done);
            }
          } catch (IOException e) {
            installed.completeExceptionally(e);
          }
        }

        @Override
        public void connected(long peer) {}

        @Override
        public void disconnected(long peer) {}
      });
      leader.start(ActionRunnerFixture.IGNORE);
      try (SnapshotSender sender = SnapshotSender.open(new LocalSnapshots(leaderStore), 2, at)) {
        for (SnapChunk c = sender.next(); c != null; c = sender.next()) {
          assertThat(leader.send(2, c)).isTrue();
        }
      }
      assertThat(installed.get(10, TimeUnit.SECONDS)).isEqualTo(at);
    }
    assertThat(offsets).containsExactly(0L, (long) SnapshotSender.CHUNK_BYTES, 2L * SnapshotSender.CHUNK_BYTES);
    try (InputStream in = followerStore.open(at)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void aChunkOutOfOrderIsRefusedAndNothingIsStored() throws Exception {
    SnapshotStore store = SnapshotStore.open(dir.resolve("s"));
    SnapshotReceiver receiver = new SnapshotReceiver(store);
    Zxid at = Zxid.of(1, 5);
    assertThat(receiver.accept(new SnapChunk(at, 0, new byte[10], false))).isNull();
    assertThatThrownBy(() -> receiver.accept(new SnapChunk(at, 20, new byte[10], true)))
        .isInstanceOf(IOException.class).hasMessageContaining("expected offset 10").hasMessageContaining("got offset 20");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aDiscardedTransferLeavesNoSnapshot() throws Exception {
    SnapshotStore store = SnapshotStore.open(dir.resolve("s"));
    SnapshotReceiver receiver = new SnapshotReceiver(store);
    receiver.accept(new SnapChunk(Zxid.of(1, 5), 0, new byte[10], false));
    receiver.discard();
    assertThatThrownBy(() -> receiver.accept(new SnapChunk(Zxid.of(1, 5), 10, new byte[10], true)))
        .isInstanceOf(IOException.class).hasMessageContaining("expected a first chunk");
    assertThat(store.list()).isEmpty();
  }
}
