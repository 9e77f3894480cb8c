package io.zab.transport.netty;

import static io.zab.runtime.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabThreads;
import io.zab.Zxid;
import io.zab.metrics.MetricNames;
import io.zab.runtime.RecordingMetrics;
import io.zab.runtime.RecordingMetrics.Meters;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The transport's counters, as {@code NettyTransport.stats()} and as the node's meters; its threads' identity. */
class TransportMetricsTest {

  @Test
  void frameBytesAndMessagesAreCountedAndBoundToTheNodesMeters() throws Exception {
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1, 2)) {
      c.awaitConnected(1, 2);
      RecordingMetrics metrics = new RecordingMetrics();
      c.transport(1).bindMetrics(metrics.forServer(1));
      Meters m = metrics.of(1);
      Exchange.both(c, 1, 2);

      TransportStats sender = c.transport(1).stats();
      TransportStats receiver = c.transport(2).stats();
      long sentBefore = sender.bytesSent();
      long receivedBefore = receiver.bytesReceived();
      long messagesBefore = receiver.messagesReceived();
      Message ping = new Message.Ping(Zxid.of(1, 1));
      int frame = MessageCodec.LENGTH_PREFIX_BYTES + new MessageCodec(1 << 20).encodedSize(ping);
      int n = 10;
      for (int i = 0; i < n; i++) {
        assertThat(c.transport(1).send(2, ping)).isTrue();
      }
      c.transport(1).flush();
      assertThat(sender.bytesSent() - sentBefore).isEqualTo((long) n * frame);
      awaitCondition(TestCluster.WAIT, () -> receiver.messagesReceived() - messagesBefore >= n, () -> "10 pings");
      assertThat(receiver.bytesReceived() - receivedBefore).as("the pings, and maybe keepalives")
          .isGreaterThanOrEqualTo((long) n * frame);

      assertThat(m.counter(MetricNames.TRANSPORT_SENT_BYTES)).isEqualTo(sender.bytesSent());
      assertThat(m.counter(MetricNames.TRANSPORT_RECEIVED_BYTES)).isEqualTo(c.transport(1).stats().bytesReceived())
          .isPositive();
      assertThat(m.counter(MetricNames.TRANSPORT_RECEIVED_MESSAGES)).isEqualTo(c.transport(1).stats().messagesReceived());
      assertThat(m.counter(MetricNames.TRANSPORT_CONNECTIONS_REJECTED)).isEqualTo(sender.connectionsRejected());
      assertThat(m.counter(MetricNames.TRANSPORT_UNEXPECTED_ERRORS)).isZero();
      assertThat(m.counter(MetricNames.TRANSPORT_CONNECTIONS_LOST)).isZero();
      assertThat(m.counter(MetricNames.TRANSPORT_RECONNECTS)).isEqualTo(sender.reconnects());
    }
  }

  @Test
  void aLostConnectionAndTheRedialsAfterItAreCounted() throws Exception {
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1, 2)) {
      c.awaitConnected(1, 2);
      TransportStats stats = c.transport(1).stats();
      long reconnects = stats.reconnects();
      c.stop(2);
      c.inbound(1).awaitDisconnected(2, TestCluster.WAIT);
      awaitCondition(TestCluster.WAIT, () -> stats.connectionsLost() == 1 && stats.reconnects() >= reconnects + 3,
          () -> "a loss and redials: " + stats);
    }
  }

  @Test
  void eventLoopThreadsAreNamedAfterTheServerAndCarryItsIdInTheMdc() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    var members = TestCluster.members(2);
    Transport t1 = NettyTransport.factory(TestCluster.fastConfig().build()).create(1, members);
    Transport t2 = NettyTransport.factory(TestCluster.fastConfig().build()).create(2, members);
    try {
      RecordingInbound in2 = new RecordingInbound();
      t1.start(new Transport.Inbound() {
        @Override
        public void received(long from, Message message) {}

        @Override
        public void connected(long peer) {
          seen.add(Thread.currentThread().getName().replaceAll("-\\d+-\\d+$", "") + " sid="
              + MDC.get(ZabThreads.MDC_KEY));
        }

        @Override
        public void disconnected(long peer) {}
      });
      t2.start(in2);
      in2.awaitConnected(1, TestCluster.WAIT);
      awaitCondition(TestCluster.WAIT, () -> !seen.isEmpty(), () -> "server 1 connected");
      assertThat(seen).containsExactly("zab-netty-1 sid=1");
    } finally {
      t1.close();
      t2.close();
    }
  }
}
