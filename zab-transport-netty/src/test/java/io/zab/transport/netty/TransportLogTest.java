package io.zab.transport.netty;

import static io.zab.runtime.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.runtime.CapturedLog;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lines that recur per connection or per attempt are logged at most once per interval, with a count. */
class TransportLogTest {

  @Test
  void aPeerThatStaysUnreachableIsLoggedOnceWithTheFailedAttemptsCounted() throws Exception {
    try (CapturedLog log = CapturedLog.start();
        TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1)) { // 2 never starts
      TransportStats stats = c.transport(1).stats();
      awaitCondition(TestCluster.WAIT, () -> stats.reconnects() >= 10, () -> "10 redials: " + stats);
      assertThat(log.lines("server 1: cannot connect to server 2")).as("within the 30 s interval").hasSize(1)
          .allMatch(l -> l.contains(" INFO ") && l.contains("(0 more failed attempts not logged)"));
    }
  }

  @Test
  void aFloodOfBadConnectionsFromOneHostIsLoggedAtMostOnceASecond() throws Exception {
    int n = 20;
    try (CapturedLog log = CapturedLog.start();
        TestCluster c = new TestCluster(2, id -> TestCluster.fastConfig().build()).start(1)) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        byte[] garbage = new byte[64];
        new Random(i).nextBytes(garbage);
        garbage[0] = 0x7f; // a length far above the handshake's bound
        try (RawPeer raw = RawPeer.connect(c.address(1))) {
          raw.send(garbage);
          raw.awaitClosed(TestCluster.WAIT);
        }
      }
      TransportStats stats = c.transport(1).stats();
      awaitCondition(TestCluster.WAIT, () -> stats.connectionsRejected() == n, () -> n + " rejections: " + stats);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(log.lines("closing connection /127.0.0.1")).as("%d refusals in %d s", n, seconds).isNotEmpty()
          .hasSizeLessThanOrEqualTo((int) seconds + 1);
    }
  }
}
