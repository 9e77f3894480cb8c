package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerIdentityTest {
  @TempDir
  static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void ca() throws Exception {
    pki = TestPki.create(dir, "identity-ca");
  }

  private static X509Certificate cert(TlsConfig tls) throws Exception {
    try (InputStream in = Files.newInputStream(tls.certChain())) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void serverNameInCnAndSanIsOneIdentity() throws Exception {
    X509Certificate c = cert(pki.server(7));
    assertThat(PeerIdentity.serverIds(c)).containsExactly(7L);
    PeerIdentity.requireNames(c, 7);
  }

  @Test
  void sanAloneOrCnAloneNamesTheServer() throws Exception {
    assertThat(PeerIdentity.serverIds(cert(pki.issue("host-a", "zab-server-4")))).containsExactly(4L);
    assertThat(PeerIdentity.serverIds(cert(pki.issue("zab-server-5", null)))).containsExactly(5L);
  }

  @Test
  void aCertificateNamingTwoServersNamesNeitherAcceptably() throws Exception {
    X509Certificate both = cert(pki.issue("zab-server-1", "zab-server-2"));
    assertThat(PeerIdentity.serverIds(both)).containsExactly(1L, 2L);
    assertThatThrownBy(() -> PeerIdentity.requireNames(both, 1)).hasMessageContaining("names server ids [1, 2]");
  }

  @Test
  void lookalikeNamesAreNotServerNames() throws Exception {
    assertThat(PeerIdentity.serverIds(cert(pki.issue("zab-server-01", "zab-server-3.evil.example")))).isEmpty();
    assertThat(PeerIdentity.serverIds(cert(pki.issue("zab-server-99999999999999999999", null)))).isEmpty();
    assertThatThrownBy(() -> PeerIdentity.requireNames(cert(pki.issue("x", "y")), 3))
        .hasMessageContaining("claims server id 3").hasMessageContaining("names no zab-server-<sid>");
  }
}
