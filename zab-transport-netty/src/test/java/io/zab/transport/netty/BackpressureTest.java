package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading first makes its connection unwritable (the leader's signal to hold back), and
 * when the queued bytes would pass the hard bound the connection is closed: a loss the core sees, never
 * an unbounded queue.
 */
class BackpressureTest {
  private static final int HIGH = 128 * 1024;
  private static final long HARD_BOUND = 1024 * 1024;

  @Test
  void aPeerThatStopsReadingBecomesUnwritableThenIsDisconnectedAtTheHardBound() throws Exception {
    try (TestCluster c = new TestCluster(3, id -> TestCluster.fastConfig().maxFrameBytes(64 * 1024)
        .writeBufferWaterMarks(32 * 1024, HIGH).maxPendingBytes(HARD_BOUND).build()).start(1, 3)) {
      c.awaitConnected(1, 3);
      try (RawPeer stalled = RawPeer.connect(c.address(1))) {
        stalled.send(RawPeer.hello(Hello.MAGIC, MessageCodec.VERSION, 2, "test-cluster"));
        c.inbound(1).awaitConnected(2, TestCluster.WAIT);
        NettyTransport t = c.transport(1);
        byte[] payload = new byte[60 * 1024];
        int sentWhileWritable = 0;
        int sentWhileUnwritable = 0;
        for (int i = 0; i < 10_000; i++) {
          boolean writable = t.isWritable(2);
          if (!t.send(2, new Message.Request(i, payload))) {
            break;
          }
          t.flush();
          if (writable) {
            sentWhileWritable++;
          } else {
            sentWhileUnwritable++;
          }
        }
        assertThat(sentWhileUnwritable).as("backpressure was signalled before the close").isPositive();
        // 10,000 x 60 KiB (600 MB) would fit in no socket buffer: stopping earlier means the bound closed it
        assertThat(sentWhileWritable + sentWhileUnwritable).isLessThan(10_000);
        c.inbound(1).awaitDisconnected(2, TestCluster.WAIT);
        assertThat(stalled.awaitClosed(TestCluster.WAIT)).isTrue();
        System.out.printf("backpressure: %d sends while writable, %d while unwritable, then closed%n",
            sentWhileWritable, sentWhileUnwritable);
      }
      Exchange.both(c, 1, 3);
    }
  }
}
