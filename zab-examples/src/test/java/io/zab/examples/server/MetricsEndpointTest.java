package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import io.zab.examples.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code GET /metrics}: the node's zab meters in Prometheus' text format, through Micrometer. */
class MetricsEndpointTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theServerExposesItsZabMetersForPrometheus() throws Exception {
    ZabKvServer s = new ZabKvServer();
    new CommandLine(s).parseArgs("--id", "1", "--peers", "1=127.0.0.1:" + freePort(), "--http-port", "0",
        "--data-dir", dir.resolve("node-1").toString(), "--tick-ms", "20");
    try (KvNode node = s.start(b -> b, e -> { })) {
      String base = "http://127.0.0.1:" + node.httpAddress().getPort();
      KvClient client = new KvClient(base);
      Await.until("an established epoch", WAIT, () -> client.status().flag("established"));
      for (int i = 0; i < 5; i++) {
        assertThat(client.put("k" + i, "v").status()).isEqualTo(200);
      }

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
      String text = r.body();
      assertThat(text)
          .contains("# TYPE zab_commit_latency_seconds histogram")
          .contains("zab_role{server=\"1\"} 2.0")
          .contains("zab_established{server=\"1\"} 1.0")
          .contains("zab_elections_total{server=\"1\"} 1.0")
          .contains("zab_log_fsync_latency_seconds_bucket{server=\"1\",le=")
          .contains("zab_transport_reconnects_total{server=\"1\"}")
          .contains("zab_apply_backlog_txns{server=\"1\"} 0.0");
      assertThat(text.lines().filter(l -> l.startsWith("zab_appended_txns_total{server=\"1\"}")))
          .as("the five writes and the session clock's ticks, at least").singleElement()
          .satisfies(l -> assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(5));

      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }
}
