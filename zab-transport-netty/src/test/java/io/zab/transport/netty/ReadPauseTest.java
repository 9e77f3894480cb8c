package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.wire.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backpressure from the receiver (issue 10, item 6): when the node has no room for more messages, the transport
 * stops reading from the connection instead of holding its event loop, so the sender's writes back up, the
 * other connections of that event loop are still served, and once there is room everything arrives, in order.
 */
class ReadPauseTest {
  private static final int PAYLOAD = 16 * 1024;
  private static final int MESSAGES = 2_048;

  @Test
  void aReceiverWithNoRoomStopsReadingThatPeerWithoutHoldingItsEventLoopAndLosesNothing() throws Exception {
    try (TestCluster c = new TestCluster(3, id -> TestCluster.fastConfig().ioThreads(1).maxFrameBytes(64 * 1024)
        .writeBufferWaterMarks(32 * 1024, 128 * 1024).maxPendingBytes(256L << 20).build()).start(1, 2)) {
      c.awaitConnected(1, 2);
      RecordingInbound receiver = c.inbound(1);
      receiver.full(true);

      NettyTransport sender = c.transport(2);
      int sent = MESSAGES; // 32 MiB: more than any socket buffers hold
      for (int i = 0; i < sent; i++) {
        assertThat(sender.send(1, new Message.Request(i, new byte[PAYLOAD]))).isTrue();
        sender.flush();
      }
      receiver.await(0, e -> e instanceof RecordingInbound.Paused, TestCluster.WAIT);

      // Server 1's only event loop is free: a new peer still gets through the handshake.
      c.start(3);
      receiver.awaitConnected(3, TestCluster.WAIT);
      c.inbound(3).awaitConnected(1, TestCluster.WAIT);
      assertThat(requestsFrom(receiver, 2)).as("delivered while paused").hasSizeLessThan(sent);
      assertThat(sender.isWritable(1)).as("the sender's writes back up").isFalse();

      receiver.full(false);
      int last = sent - 1;
      receiver.await(0, e -> e instanceof RecordingInbound.Received r && r.message() instanceof Message.Request q
          && q.requestId() == last, TestCluster.WAIT);
      List<Long> ids = requestsFrom(receiver, 2);
      assertThat(ids).as("every message, once, in order").hasSize(sent)
          .isEqualTo(java.util.stream.LongStream.range(0, sent).boxed().toList());
      assertThat(receiver.events()).doesNotContain(new RecordingInbound.Disconnected(2));
    }
  }

  private static List<Long> requestsFrom(RecordingInbound inbound, long peer) {
    return inbound.events().stream()
        .filter(e -> e instanceof RecordingInbound.Received r && r.from() == peer && r.message() instanceof Message.Request)
        .map(e -> ((Message.Request) ((RecordingInbound.Received) e).message()).requestId()).toList();
  }
}
