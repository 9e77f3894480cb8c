package io.zab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutOfOrderSeenTest {
  private static final String REFUSED = "08:01:02.003 INFO Peer - server 2 leaves FOLLOWING (leader 3, epoch 1): proposal"
      + " from leader 3 rejected: txn 0x1:0x%x does not follow the last logged zxid 0x1:0x24";

  @TempDir Path dir;

  @Test
  void everyRefusedOutOfOrderTxnInAServerLogIsAProblem() throws Exception {
    Files.writeString(dir.resolve("node-2.log"), String.join("\n", "08:01:02.000 INFO Peer - server 2 leaves FOLLOWING"
        + " (leader 3, epoch 1): nothing heard from leader 3 within syncLimit", REFUSED.formatted(0x27)));
    Files.writeString(dir.resolve("nemesis.log"), REFUSED.formatted(0x28)); // not a server's log

    OutOfOrderSeen seen = OutOfOrderSeen.in(dir);

    assertThat(seen.count()).isEqualTo(1);
    assertThat(seen.problems()).containsExactly("txns out of order on a connection: node-2.log: "
        + REFUSED.formatted(0x27));
  }

  @Test
  void keepsTheFirstLinesAndCountsTheRest() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < OutOfOrderSeen.KEPT + 3; i++) {
      log.append(REFUSED.formatted(0x30 + i)).append('\n');
    }
    Files.writeString(dir.resolve("node-1.log"), log);

    OutOfOrderSeen seen = OutOfOrderSeen.in(dir);

    assertThat(seen.count()).isEqualTo(OutOfOrderSeen.KEPT + 3);
    assertThat(seen.problems()).hasSize(OutOfOrderSeen.KEPT + 1)
        .endsWith("3 more lines of txns out of order in the servers' logs");
  }

  @Test
  void aCleanRunHasNoProblem() throws Exception {
    Files.writeString(dir.resolve("node-1.log"), "08:00:00.000 INFO Peer - server 1 is LEADING (epoch 1)\n");

    assertThat(OutOfOrderSeen.in(dir).problems()).isEmpty();
  }
}
