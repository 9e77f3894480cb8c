package io.zab.examples.server;

import java.io.IOException;
import java.time.Duration;

/** Nodes for tests of the client side: one process, one HTTP port chosen by the system. */
public final class TestLogs {
  private TestLogs() {}

  /** A node over a one-process log (no zab), serving HTTP on a free port. */
  public static KvNode singleNode() throws IOException {
    KvNode.Settings s = new KvNode.Settings(1, "127.0.0.1", 0, Duration.ofMillis(50), Duration.ofMillis(20),
        Duration.ofSeconds(5));
    return KvNode.start(s, SingleProcessLog::new);
  }
}
