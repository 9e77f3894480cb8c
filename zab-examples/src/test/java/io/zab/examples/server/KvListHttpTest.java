package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import io.zab.examples.client.KvClient.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /kv?prefix=}: the keys under a prefix with their values, local or after a sync barrier. */
class KvListHttpTest {
  private KvNode node;
  private KvClient client;

  @BeforeEach
  void start() throws Exception {
    KvNode.Settings s = new KvNode.Settings(1, "127.0.0.1", 0, Duration.ofMillis(50), Duration.ofMillis(20),
        Duration.ofSeconds(5));
    node = KvNode.start(s, SingleProcessLog::new);
    client = new KvClient("http://127.0.0.1:" + node.httpAddress().getPort(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void listsTheKeysUnderAPrefixWithTheirValues() {
    client.put("a-1", "x");
    client.put("a-2", "y z");
    client.put("ab", "w");
    client.put("b-1", "v");
    client.delete("a-2");
    Response r = client.list("a-", true);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.number("count")).isEqualTo(1);
    assertThat(r.body().get("entries")).isEqualTo(Map.of("a-1", "x"));
    assertThat(client.list("", false).number("count")).isEqualTo(3);
    assertThat(client.list("zzz", false).body().get("entries")).isEqualTo(Map.of());
  }
}
