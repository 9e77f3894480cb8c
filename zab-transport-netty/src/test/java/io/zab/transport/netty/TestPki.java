package io.zab.transport.netty;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA that issues server certificates into a temp directory at test time (no committed keys). */
final class TestPki {
  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final AtomicLong serial = new AtomicLong(1);

  private TestPki(Path dir, String name) throws Exception {
    this.dir = dir;
    this.name = name;
    this.caKeys = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = builder(subject, subject, caKeys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.caCert = sign(b);
    writePem(bundle(), "CERTIFICATE", caCert.getEncoded());
  }

  static TestPki create(Path dir, String name) throws Exception {
    return new TestPki(dir, name);
  }

  /** The CA certificate file (the trust bundle). */
  Path bundle() {
    return dir.resolve(name + "-ca.crt");
  }

  /** A certificate naming {@code zab-server-<sid>} in its CN and a DNS SAN. */
  TlsConfig server(long sid) throws Exception {
    return issue(PeerIdentity.nameOf(sid), PeerIdentity.nameOf(sid));
  }

  /** A certificate with the given subject CN and (if not null) one DNS SAN. */
  TlsConfig issue(String cn, String sanDns) throws Exception {
    KeyPair keys = newKeyPair();
    X509v3CertificateBuilder b = builder(new X500Name("CN=" + name), new X500Name("CN=" + cn), keys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    if (sanDns != null) {
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, sanDns)));
    }
    X509Certificate cert = sign(b);
    String stem = name + "-" + cn + "-" + serial.get();
    Path certFile = dir.resolve(stem + ".crt");
    Path keyFile = dir.resolve(stem + ".key");
    writePem(certFile, "CERTIFICATE", cert.getEncoded());
    writePem(keyFile, "PRIVATE KEY", keys.getPrivate().getEncoded());
    return new TlsConfig(certFile, keyFile, bundle());
  }

  /** {@code tls} with this CA's bundle as trust (to mix certificates of two CAs). */
  TlsConfig trusting(TlsConfig tls) {
    return new TlsConfig(tls.certChain(), tls.privateKey(), bundle());
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
        keys.getPublic());
  }

  private X509Certificate sign(X509v3CertificateBuilder b) throws OperatorCreationException,
      GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static void writePem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
