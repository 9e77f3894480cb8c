package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The node's HTTP server sets TCP_NODELAY on the connections it accepts, so a reply is not held back by
 * Nagle's algorithm waiting for the client's delayed ACK (about 40 ms per keep-alive request without it; see
 * docs/examples.md for the measurement). The JDK's server decides this once from a system property, which
 * KvNode sets before the first server starts; the test asks the JDK's own setting (opened to tests by the
 * pom's surefire argLine).
 */
class HttpNoDelayTest {
  @Test
  void theJdkHttpServerOfANodeSetsTcpNoDelay() throws Exception {
    try (KvNode node = TestLogs.singleNode()) {
      assertThat(node.httpAddress().getPort()).isPositive();
      Class<?> config = Class.forName("sun.net.httpserver.ServerConfig");
      Method noDelay = config.getDeclaredMethod("noDelay");
      noDelay.setAccessible(true);
      assertThat((boolean) noDelay.invoke(null)).as("sun.net.httpserver.ServerConfig.noDelay()").isTrue();
      assertThat(System.getProperty(KvNode.NO_DELAY_PROPERTY)).isEqualTo("true");
    }
  }
}
