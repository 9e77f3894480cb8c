package io.zab.transport.netty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files for mutual TLS between the servers of an ensemble.
 *
 * <p>Every server presents {@code certChain} (its own certificate first) signed by a CA in
 * {@code trustBundle}, and only accepts peers whose certificate chains to that bundle. The certificate
 * must name the server as {@code zab-server-<sid>} (see {@link PeerIdentity}).
 *
 * <pre>{@code
 * TlsConfig tls = new TlsConfig(Path.of("/etc/zab/server-1.crt"), Path.of("/etc/zab/server-1.key"),
 *     Path.of("/etc/zab/ca.crt"));
 * }</pre>
 *
 * @param certChain PEM certificate chain of this server, leaf first
 * @param privateKey PEM PKCS#8 private key of the leaf certificate ({@code BEGIN PRIVATE KEY}, unencrypted)
 * @param trustBundle PEM certificates of the CA(s) that sign the ensemble's server certificates
 */
public record TlsConfig(Path certChain, Path privateKey, Path trustBundle) {
  /**
   * Checks that the three files are readable.
   *
   * @param certChain PEM certificate chain, leaf first
   * @param privateKey PEM PKCS#8 private key, unencrypted
   * @param trustBundle PEM CA certificates
   */
  public TlsConfig {
    requireReadable(certChain, "certChain");
    requireReadable(privateKey, "privateKey");
    requireReadable(trustBundle, "trustBundle");
  }

  private static void requireReadable(Path file, String what) {
    Objects.requireNonNull(file, what);
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("TLS " + what + " file is missing or unreadable: " + file);
    }
  }
}
