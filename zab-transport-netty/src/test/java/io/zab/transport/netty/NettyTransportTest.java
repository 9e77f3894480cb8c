package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

  @Test
  void threeServersConnectPairwiseAndExchangeMessages() throws Exception {
    try (TestCluster c = new TestCluster(3, id -> TestCluster.fastConfig().build()).start(1, 2, 3)) {
      c.awaitConnected(1, 2, 3);
      Exchange.both(c, 1, 2);
      Exchange.both(c, 1, 3);
      Exchange.both(c, 2, 3);
      assertThat(c.transport(1).stats().unexpectedErrors()).isZero();
    }
  }

  @Test
  void theNioFallbackServesLikeEpoll() throws Exception {
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().nativeIo(id == 1).build()).start(1, 2)) {
      assertThat(c.transport(2).ioName()).isEqualTo("nio");
      assertThat(c.transport(1).ioName()).isEqualTo(io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
      c.awaitConnected(1, 2);
      Exchange.both(c, 1, 2);
    }
  }

  @Test
  void messagesToOnePeerArriveInOrderWithoutDuplicates() throws Exception {
    int count = 20_000;
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1, 2)) {
      c.awaitConnected(1, 2);
      RecordingInbound receiver = c.inbound(2);
      int mark = receiver.size();
      for (int i = 1; i <= count; i++) {
        c.transport(1).send(2, new Message.Request(i, new byte[i % 100]));
        if (i % 64 == 0) {
          c.transport(1).flush(); // write coalescing: one flush per batch of sends
        }
      }
      c.transport(1).flush();
      receiver.await(mark, e -> e instanceof RecordingInbound.Received r && r.message() instanceof Message.Request q
          && q.requestId() == count || e.equals(new RecordingInbound.Disconnected(1)), TestCluster.WAIT);
      List<Long> ids = new ArrayList<>();
      boolean lostConnection = false;
      for (RecordingInbound.Event e : receiver.events().subList(mark, receiver.size())) {
        if (e instanceof RecordingInbound.Received r && r.message() instanceof Message.Request q) {
          ids.add(q.requestId());
        } else if (e instanceof RecordingInbound.Disconnected) {
          lostConnection = true;
        }
      }
      for (int i = 1; i < ids.size(); i++) {
        assertThat(ids.get(i)).as("FIFO, no duplicates").isGreaterThan(ids.get(i - 1));
      }
      if (!lostConnection) {
        assertThat(ids).hasSize(count);
      }
    }
  }

  @Test
  void connectionLossIsReportedAtOnceAndTheRestartedPeerIsReconnected() throws Exception {
    try (TestCluster c = new TestCluster(3, id -> TestCluster.fastConfig().build()).start(1, 2, 3)) {
      c.awaitConnected(1, 2, 3);
      long stopped = System.nanoTime();
      c.stop(2);
      c.inbound(1).awaitDisconnected(2, Duration.ofSeconds(2));
      c.inbound(3).awaitDisconnected(2, Duration.ofSeconds(2));
      long noticedMillis = (System.nanoTime() - stopped) / 1_000_000;
      // far below the 10 s idle timeout: the loss was seen from the closed socket, not from silence
      assertThat(noticedMillis).isLessThan(2_000);
      Exchange.both(c, 1, 3);

      c.start(2);
      c.awaitConnected(1, 2, 3);
      Exchange.both(c, 1, 2);
      Exchange.both(c, 2, 3);
    }
  }

  @Test
  void aSilentPeerIsClosedByTheIdleTimeoutWhileKeepalivesHoldAQuietConnection() throws Exception {
    try (TestCluster c = new TestCluster(3, id -> TestCluster.fastConfig().idleTimeout(Duration.ofSeconds(1))
        .build()).start(1, 2)) {
      c.awaitConnected(1, 2);
      int mark = c.inbound(1).size();
      try (RawPeer silent = RawPeer.connect(c.address(1))) {
        silent.send(RawPeer.hello(Hello.MAGIC, io.zab.wire.MessageCodec.VERSION, 3, "test-cluster"));
        RejectionLog.Rejection r = c.rejections(1).awaitFrom(silent.localAddress(), TestCluster.WAIT);
        assertThat(r.message()).isEqualTo("idle timeout: nothing received for 1000 ms");
      }
      // a second passed without a message between 1 and 2: only keepalives kept their connection up
      List<RecordingInbound.Event> events = c.inbound(1).events(); // one copy: events may still arrive while we look
      assertThat(events.subList(mark, events.size())).doesNotContain(new RecordingInbound.Disconnected(2));
      Exchange.both(c, 1, 2);
    }
  }

  @Test
  void sendToAnUnconnectedPeerReturnsFalse() throws Exception {
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1)) {
      assertThat(c.transport(1).send(2, new Message.Ping(io.zab.Zxid.ZERO))).isFalse();
      assertThat(c.transport(1).isWritable(2)).isFalse();
      c.transport(1).flush();
    }
  }

  @Test
  void closeIsIdempotentAndStopsEveryEventLoopThread() throws Exception {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1, 2)) {
      c.awaitConnected(1, 2);
      NettyTransport t = c.transport(1);
      t.close();
      t.close();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().startsWith("zab-netty-1-") && !before.contains(thread)) {
          thread.join(5_000);
          assertThat(thread.isAlive()).as(thread.getName()).isFalse();
        }
      }
      c.inbound(2).awaitDisconnected(1, TestCluster.WAIT);
    }
  }

  @Test
  void aServerNotAmongTheMembersIsRefusedAtCreation() throws Exception {
    var members = TestCluster.members(2);
    assertThatThrownBy(() -> NettyTransport.factory(TestCluster.fastConfig().build()).create(7, members))
        .hasMessageContaining("server 7 is not among the members");
  }

  @Test
  void aPortInUseFailsStartWithTheAddress() throws Exception {
    var members = TestCluster.members(2);
    try (var blocker = new java.net.ServerSocket(members.get(0).port(), 50,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Transport t = NettyTransport.factory(TestCluster.fastConfig().build()).create(1, members);
      assertThatThrownBy(() -> t.start(new RecordingInbound()))
          .hasMessageContaining("cannot listen on 127.0.0.1:" + members.get(0).port());
      t.close();
    }
  }

  @Test
  void configRejectsInconsistentBounds() {
    assertThatThrownBy(() -> NettyConfig.builder("x").writeBufferWaterMarks(100, 10).build())
        .hasMessageContaining("writeBufferLow");
    assertThatThrownBy(() -> NettyConfig.builder("").build()).hasMessageContaining("clusterId");
    assertThatThrownBy(() -> NettyConfig.builder("x").maxPendingBytes(1000).build())
        .hasMessageContaining("maxPendingBytes");
    assertThat(NettyConfig.builder("x").build().tlsEnabled()).isFalse();
    assertThat(Map.of()).isEmpty();
  }
}
