package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.runtime.CapturedLog;
import io.zab.wire.MessageCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 8: in plaintext a stranger can claim any member's id, but it must not displace the real
 * peer's healthy connection (before, one claiming the leader's id every 100 ms drove the epoch from 1 to 12
 * in 5 s). It is refused with a WARN naming its address; the same refusal repeated from one host is logged at most
 * once a second (each one is still counted in the transport's stats).
 */
class ImpostorTest {
  @Test
  void strangersClaimingAConnectedPeersIdAreRefusedAndTheRealConnectionStays() throws Exception {
    try (TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1, 2);
        CapturedLog log = CapturedLog.start()) {
      c.awaitConnected(1, 2);
      Exchange.both(c, 1, 2); // the real connection is in use: something was received on it
      int mark = c.inbound(1).size();
      long start = System.nanoTime();
      for (int attempt = 0; attempt < 5; attempt++) {
        try (RawPeer stranger = RawPeer.connect(c.address(1))) {
          stranger.send(RawPeer.hello(Hello.MAGIC, MessageCodec.VERSION, 2, "test-cluster"));
          RejectionLog.Rejection r = c.rejections(1).awaitFrom(stranger.localAddress(), TestCluster.WAIT);
          assertThat(r.reason()).isInstanceOf(DisplacementRefusedException.class);
          assertThat(stranger.awaitClosed(TestCluster.WAIT)).isTrue();
          if (attempt == 0) {
            String address = stranger.localAddress().toString();
            List<String> warned = log.lines(address);
            assertThat(warned).as("a WARN naming the stranger's address %s", address)
                .anyMatch(l -> l.contains(" WARN ") && l.contains("claiming to be server 2"));
          }
        }
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(log.lines("claiming to be server 2")).as("the same refusal from one host, at most once a second")
          .hasSizeLessThanOrEqualTo((int) seconds + 1);
      assertThat(c.inbound(1).events().subList(mark, c.inbound(1).size()))
          .as("no connection change on server 1").doesNotContain(new RecordingInbound.Disconnected(2));
      Exchange.both(c, 1, 2);
    }
  }
}
