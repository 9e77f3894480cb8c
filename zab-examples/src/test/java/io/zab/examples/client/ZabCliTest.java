package io.zab.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.zab.examples.server.KvNode;
import io.zab.examples.server.TestLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI as a user meets it: its default node, its errors (one line each), its version. */
class ZabCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int cli(Map<String, String> env, String... args) {
    return ZabCli.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aNodeThatCannotBeReachedIsOneLineOnStderrNotAStackTrace() throws IOException {
    int port = freePort();
    int code = cli(Map.of(), "get", "k", "--server", "http://127.0.0.1:" + port);

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("zab-cli: GET http://127.0.0.1:" + port + "/kv/k: connection refused")
        .contains("is the cluster running? ./zab-cluster start").doesNotContain("Exception");
  }

  @Test
  void theDefaultServerFollowsZabHttpBase() throws Exception {
    try (KvNode node = TestLogs.singleNode()) {
      int port = node.httpAddress().getPort();
      Map<String, String> env = Map.of(ZabCli.HTTP_BASE_ENV, Integer.toString(port - 1));   // node 1 = base + 1

      assertThat(cli(env, "put", "greeting", "hello")).as("stderr: %s", err).isEqualTo(0);
      assertThat(out.toString()).startsWith("200 {\"key\":\"greeting\"");
    }
    assertThat(ZabCli.defaultServer(Map.of())).isEqualTo("http://127.0.0.1:8081");
    cli(Map.of(ZabCli.HTTP_BASE_ENV, "9000"), "--help");
    assertThat(out.toString()).contains("default: http://127.0.0.1:9001");
    assertThat(ZabCli.oneLine(new KvClient.Unreachable("x", new IOException()), Map.of(ZabCli.HTTP_BASE_ENV, "9000")))
        .endsWith("follows ZAB_HTTP_BASE, now 9000)");
  }

  @Test
  void aBadZabHttpBaseIsNamed() {
    int code = cli(Map.of(ZabCli.HTTP_BASE_ENV, "eighty"), "get", "k");
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("ZAB_HTTP_BASE must be a port number below 65000, got 'eighty'")
        .doesNotContain("\tat ");
  }

  @Test
  void aProgramThatIsNotANodeIsNamedInOneLine() throws IOException {
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1);
    other.createContext("/", ex -> {
      byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, page.length);
      ex.getResponseBody().write(page);
      ex.close();
    });
    other.start();
    try {
      int code = cli(Map.of(), "status", "--server", "http://127.0.0.1:" + other.getAddress().getPort());
      assertThat(code).isEqualTo(1);
      assertThat(err.toString().lines()).singleElement().asString()
          .contains("answered 200 with a body that is not this service's JSON (another program on that port?)");
    } finally {
      other.stop(0);
    }
  }

  @Test
  void dashCapitalVPrintsTheProjectVersion() {
    assertThat(cli(Map.of(), "-V")).isZero();
    String version = System.getProperty("zab.project.version");
    assertThat(version).isNotBlank();
    assertThat(out.toString()).startsWith("zab-cli " + version + " (Java ");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(cli(Map.of(), "frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument");
  }
}
