package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.runtime.CapturedLog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS 1.3: a peer counts only if its certificate names the server id it claims (CVE-2023-44981). */
class TlsTransportTest {
  @TempDir
  static Path dir;
  private static TestPki pki;
  private static TestPki otherPki;
  private static final Map<Long, TlsConfig> certs = new HashMap<>();

  @BeforeAll
  static void issueCertificates() throws Exception {
    pki = TestPki.create(dir, "zab-test-ca");
    otherPki = TestPki.create(dir, "rogue-ca");
    for (long sid = 1; sid <= 3; sid++) {
      certs.put(sid, pki.server(sid));
    }
  }

  private static NettyConfig tls(TlsConfig files) {
    return TestCluster.fastConfig().tls(files).build();
  }

  @Test
  void threeServersWithTheirOwnCertificatesConnectAndExchange() throws Exception {
    try (TestCluster c = new TestCluster(3, id -> tls(certs.get(id))).start(1, 2, 3)) {
      c.awaitConnected(1, 2, 3);
      Exchange.both(c, 1, 2);
      Exchange.both(c, 2, 3);
      Exchange.both(c, 1, 3);
      assertThat(c.transport(1).stats().unexpectedErrors()).isZero();
    }
  }

  @Test
  void aServerWhoseCertificateNamesAnotherIdIsRefused() throws Exception {
    // "server 2" runs with server 3's valid certificate: the CA trusts it, but it names zab-server-3
    try (TestCluster c = new TestCluster(3, id -> tls(certs.get(id == 2 ? 3L : id))).start(1, 2)) {
      RejectionLog.Rejection r = c.rejections(1).await(x -> x.message().contains("TLS identity"),
          TestCluster.WAIT);
      assertThat(r.message()).contains("claims server id 2").contains("names server ids [3]");
      assertThat(c.inbound(1).isConnected(2)).isFalse();
      c.start(3);
      c.inbound(1).awaitConnected(3, TestCluster.WAIT);
      Exchange.both(c, 1, 3);
      assertThat(c.inbound(1).isConnected(2)).isFalse();
    }
  }

  @Test
  void aCertificateWithoutAServerNameIsRefused() throws Exception {
    TlsConfig anonymous = pki.issue("some-service", "some-service.example");
    try (TestCluster c = new TestCluster(2, id -> tls(id == 2 ? anonymous : certs.get(id))).start(1, 2)) {
      RejectionLog.Rejection r = c.rejections(1).await(x -> x.message().contains("TLS identity"),
          TestCluster.WAIT);
      assertThat(r.message()).contains("names no zab-server-<sid>");
      assertThat(c.inbound(1).isConnected(2)).isFalse();
    }
  }

  @Test
  void aCertificateFromAnotherCaFailsTheTlsHandshake() throws Exception {
    TlsConfig rogue = otherPki.issue(PeerIdentity.nameOf(2), PeerIdentity.nameOf(2));
    try (CapturedLog log = CapturedLog.start();
        TestCluster c = new TestCluster(2, id -> tls(id == 2 ? rogue : certs.get(id))).start(1, 2)) {
      RejectionLog.Rejection r = c.rejections(1).await(x -> x.reason() instanceof SSLException, TestCluster.WAIT);
      assertThat(r.reason()).isInstanceOf(SSLException.class);
      assertThat(c.inbound(1).isConnected(2)).isFalse();
      // Logged before the rejection is observed; a refused TLS handshake is WARN, as docs/operations.md says. The
      // first refusal from a host is logged and repeats within a second are counted, so the line may name an
      // earlier connection of the same host than the rejection awaited here.
      assertThat(log.lines("closing connection")).as("the refusal lines")
          .filteredOn(l -> l.contains("SSLHandshakeException")).isNotEmpty().allMatch(l -> l.contains(" WARN "));
    }
  }

  @Test
  void aPlaintextClientIsRefusedByATlsServer() throws Exception {
    try (TestCluster c = new TestCluster(2, id -> tls(certs.get(id))).start(1, 2)) {
      c.awaitConnected(1, 2);
      try (RawPeer raw = RawPeer.connect(c.address(1))) {
        raw.send(RawPeer.hello(Hello.MAGIC, 1, 2, "test-cluster"));
        RejectionLog.Rejection r = c.rejections(1).awaitFrom(raw.localAddress(), TestCluster.WAIT);
        assertThat(r.reason()).isInstanceOf(SSLException.class);
        assertThat(raw.awaitClosed(TestCluster.WAIT)).isTrue();
      }
      Exchange.both(c, 1, 2);
    }
  }
}
