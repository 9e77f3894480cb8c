package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmitServerTest {

  /** Acknowledges each payload with a growing counter; a payload starting with 0 fails. */
  private static final class CountingBackend implements SubmitServer.Backend {
    final AtomicLong next = new AtomicLong(100);

    @Override
    public CompletableFuture<Long> submit(byte[] payload) {
      return payload.length > 0 && payload[0] == 0
          ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
          : CompletableFuture.completedFuture(next.incrementAndGet());
    }

    @Override
    public byte roleCode() {
      return 2;
    }

    @Override
    public long leaderId() {
      return 3;
    }

    @Override
    public CompletableFuture<String> load(String spec) {
      return spec.startsWith("fail")
          ? CompletableFuture.failedFuture(new IllegalArgumentException("bad spec"))
          : CompletableFuture.completedFuture("RESULT ran " + spec);
    }

    @Override
    public String memory() {
      return "rssKb=1234 héllo=1";
    }
  }

  @Test
  void pipelinedSubmitsAreAnsweredByRequestId() throws Exception {
    try (SubmitServer server = new SubmitServer(0, new CountingBackend());
        SubmitClient client = new SubmitClient("127.0.0.1", server.port())) {
      List<CompletableFuture<SubmitProtocol.Response>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(client.submit(new byte[] {1, (byte) i}));
      }
      List<Long> values = new ArrayList<>();
      for (CompletableFuture<SubmitProtocol.Response> f : futures) {
        SubmitProtocol.Response response = f.get(10, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(SubmitProtocol.OK);
        values.add(response.value());
      }
      assertThat(values).doesNotHaveDuplicates().allMatch(v -> v > 100 && v <= 300);

      assertThat(client.submit(new byte[] {0}).get(10, TimeUnit.SECONDS).status())
          .isEqualTo(SubmitProtocol.FAILED);
      SubmitProtocol.Response role = client.role().get(10, TimeUnit.SECONDS);
      assertThat(role.status()).isEqualTo((byte) 2);
      assertThat(role.value()).isEqualTo(3);
    }
  }

  @Test
  void textResponsesCarryLoadResultsAndMemoryAndDoNotBreakTheStream() throws Exception {
    try (SubmitServer server = new SubmitServer(0, new CountingBackend());
        SubmitClient client = new SubmitClient("127.0.0.1", server.port())) {
      SubmitProtocol.Response load = client.load("step=1x8").get(10, TimeUnit.SECONDS);
      assertThat(load.status()).isEqualTo(SubmitProtocol.TEXT);
      assertThat(load.text()).isEqualTo("RESULT ran step=1x8");
      assertThat(client.load("fail now").get(10, TimeUnit.SECONDS).text()).startsWith("FAILED")
          .contains("bad spec");
      assertThat(client.memory().get(10, TimeUnit.SECONDS).text()).isEqualTo("rssKb=1234 héllo=1");
      // a ROLE answer whose status is a role code, then a submit: both still parse after text responses
      assertThat(client.role().get(10, TimeUnit.SECONDS).value()).isEqualTo(3);
      assertThat(client.submit(new byte[] {1}).get(10, TimeUnit.SECONDS).status()).isEqualTo(SubmitProtocol.OK);
    }
  }

  @Test
  void badRequestLengthClosesTheConnection() throws Exception {
    try (SubmitServer server = new SubmitServer(0, new CountingBackend());
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      raw.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(raw.getOutputStream());
      out.writeInt(3); // shorter than the 9-byte header
      out.flush();
      assertThat(raw.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void requestsOnAClosedClientFail() throws Exception {
    try (SubmitServer server = new SubmitServer(0, new CountingBackend())) {
      SubmitClient client = new SubmitClient("127.0.0.1", server.port());
      client.close();
      assertThatThrownBy(() -> client.submit(new byte[] {1}).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("closed");
    }
  }
}
