package io.zab.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change whose outcome the node does not know (its leader was lost meanwhile, as when the leader removes itself):
 * the CLI reads the configuration back and says whether the change is in it. A stub node answers, so each outcome
 * is certain.
 */
class MemberCommandsOutcomeTest {
  private static final String BEFORE = "{\"version\":0,\"versionZxid\":\"0x0:0x0\",\"leader\":3,\"members\":["
      + "{\"id\":1,\"role\":\"VOTER\",\"address\":\"h:1\"},{\"id\":2,\"role\":\"VOTER\",\"address\":\"h:2\"},"
      + "{\"id\":3,\"role\":\"VOTER\",\"address\":\"h:3\"}]}";
  private static final String WITHOUT_3 = "{\"version\":8589934594,\"versionZxid\":\"0x2:0x2\",\"leader\":2,"
      + "\"members\":[{\"id\":1,\"role\":\"VOTER\",\"address\":\"h:1\"},{\"id\":2,\"role\":\"VOTER\",\"address\":\"h:2\"}]}";
  private static final String UNKNOWN = "{\"error\":\"the leader was lost\",\"type\":\"OutcomeUnknownException\","
      + "\"notApplied\":false}";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<String> afterwards = new AtomicReference<>();
  private HttpServer node;

  @BeforeEach
  void startStubNode() throws IOException {
    node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    node.createContext("/members", ex -> {
      boolean delete = ex.getRequestMethod().equals("DELETE");
      String body = delete ? UNKNOWN : afterwards.getAndSet(null) == null ? BEFORE : WITHOUT_3;
      if (delete) {
        afterwards.set("read after the change");
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(delete ? 504 : 200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    node.start();
  }

  @AfterEach
  void stop() {
    node.stop(0);
  }

  private int cli(String... args) {
    return ZabCli.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String url() {
    return "http://127.0.0.1:" + node.getAddress().getPort();
  }

  @Test
  void aRemovalWhoseOutcomeIsUnknownIsReadBackAndReportedDone() {
    assertThat(cli("remove-member", "3", "--server", url())).as("stderr: %s", err).isZero();
    assertThat(out.toString()).contains("the outcome is not known (the leader was lost (HTTP 504,"
        + " OutcomeUnknownException)); reading the configuration again")
        .contains("server 3 removed (configuration version 0x0:0x0 -> 0x2:0x2, read back after the leader changed)");
  }

  @Test
  void aChangeWhoseOutcomeIsUnknownAndThatIsNotInTheConfigurationReadBackFails() {
    assertThat(cli("remove-member", "2", "--server", url())).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString().isEqualTo("zab-cli: the change is not in the"
        + " configuration read afterwards (version 0x2:0x2): it did not happen, or a new leader is still completing"
        + " it; read the configuration again in a moment (zab-cli members) before deciding again");
  }
}
