package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.zab.Zxid;
import io.zab.wire.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each connection is FIFO whichever thread writes (S2: the channel between two servers delivers in order). The
 * runtime may send from the protocol thread and, a moment later, from a connection's own event loop (a received
 * message's batch run there): the second send must not overtake the first, which is still queued on that loop. When it
 * did, a follower got a proposal that did not follow the last it had logged and left the leader.
 */
class WriteOrderTest {
  @Test
  void aSendFromTheEventLoopFollowsOneQueuedThereEarlierByAnotherThread() throws Exception {
    try (TestCluster cluster = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1, 2)) {
      Exchange.both(cluster, 1, 2);
      NettyTransport sender = cluster.transport(1);
      EventLoop loop = sender.loopOf(2);
      assertThat(loop).isNotNull();
      Message first = new Message.Ping(new Zxid(101));
      Message second = new Message.Ping(new Zxid(102));
      RecordingInbound receiver = cluster.inbound(2);
      int mark = receiver.size();

      // the loop is busy (as with an inbound callback) while another thread sends and flushes `first`: that write
      // waits on the loop's queue; then the loop itself sends `second` (one caller at a time, in this order)
      CountDownLatch loopBusy = new CountDownLatch(1);
      CountDownLatch firstQueued = new CountDownLatch(1);
      CompletableFuture<Boolean> sentOnLoop = new CompletableFuture<>();
      loop.execute(() -> {
        loopBusy.countDown();
        try {
          if (!firstQueued.await(TestCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            sentOnLoop.completeExceptionally(new AssertionError("the first send was not made"));
            return;
          }
          boolean sent = sender.send(2, second);
          sender.flush();
          sentOnLoop.complete(sent);
        } catch (Throwable t) {
          sentOnLoop.completeExceptionally(t);
        }
      });
      assertThat(loopBusy.await(TestCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(sender.send(2, first)).isTrue();
      sender.flush();
      firstQueued.countDown();
      assertThat(sentOnLoop.get(TestCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      int at = receiver.await(mark, e -> e.equals(new RecordingInbound.Received(1, second)), TestCluster.WAIT);
      assertThat(receiver.events().subList(mark, at + 1))
          .as("what server 2 received from server 1, in order")
          .containsSubsequence(new RecordingInbound.Received(1, first), new RecordingInbound.Received(1, second));
    }
  }
}
