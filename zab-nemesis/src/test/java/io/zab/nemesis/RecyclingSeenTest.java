package io.zab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecyclingSeenTest {
  @TempDir Path dir;

  @Test
  void countsRollsAndRecoveriesInEveryServerLogOnly() throws Exception {
    Files.writeString(dir.resolve("node-1.log"), String.join("\n",
        "12:00:00.001 [main] INFO TxnLog - Txn log /d/log: segment after 0x1:0x9 reuses a recycled file (1 left in the pool)",
        "12:00:00.002 [main] INFO TxnLog - Txn log /d/log: segment after 0x1:0x20 reuses a recycled file (0 left in the pool)",
        "12:00:01.000 [main] INFO LogRecovery - Recycled segment /d/log/log.0 ends at byte offset 52; cutting the 9 bytes"));
    Files.writeString(dir.resolve("node-2.log"),
        "12:00:00.003 [main] INFO TxnLog - Txn log /d/log: segment after 0x1:0x9 reuses a recycled file (1 left in the pool)\n");
    Files.writeString(dir.resolve("nemesis.log"), "reuses a recycled file\n"); // not a server's log

    RecyclingSeen seen = RecyclingSeen.in(dir);

    assertThat(seen).isEqualTo(new RecyclingSeen(3, 1));
    assertThat(seen.describe()).isEqualTo("log segments: 3 rolls into recycled files, 1 recycled segments recovered at a start");
  }
}
