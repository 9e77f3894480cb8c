package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.wire.Message;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Proves two running transports still exchange messages both ways. */
final class Exchange {
  private static final AtomicLong NEXT = new AtomicLong(1);

  private Exchange() {}

  static void both(TestCluster cluster, long a, long b) throws InterruptedException {
    oneWay(cluster, a, b);
    oneWay(cluster, b, a);
  }

  /** Sends a ping from a to b and awaits it; retries only across a reported reconnect. */
  static void oneWay(TestCluster cluster, long from, long to) throws InterruptedException {
    long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
    while (true) {
      cluster.inbound(from).awaitConnected(to, TestCluster.WAIT);
      Message ping = new Message.Ping(new Zxid(NEXT.getAndIncrement()));
      RecordingInbound receiver = cluster.inbound(to);
      int mark = receiver.size();
      boolean sent = cluster.transport(from).send(to, ping);
      cluster.transport(from).flush();
      if (sent) {
        int at = receiver.await(mark, e -> e.equals(new RecordingInbound.Received(from, ping))
            || e.equals(new RecordingInbound.Disconnected(from)), Duration.ofNanos(deadline - System.nanoTime()));
        if (receiver.events().get(at) instanceof RecordingInbound.Received) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("exchange %d -> %d", from, to).isLessThan(deadline);
    }
  }
}
