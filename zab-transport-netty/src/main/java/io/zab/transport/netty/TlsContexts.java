package io.zab.transport.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * The server and client TLS contexts of one transport: TLS 1.3 only, mutual authentication against the
 * configured trust bundle. Host names are not verified: a peer is identified by the server id its
 * certificate names ({@link PeerIdentity}), checked in the handshake.
 */
record TlsContexts(SslContext server, SslContext client) {
  private static final String TLS_13 = "TLSv1.3";

  static TlsContexts load(TlsConfig tls) {
    try {
      SslContext server = SslContextBuilder.forServer(tls.certChain().toFile(), tls.privateKey().toFile())
          .sslProvider(SslProvider.JDK)
          .trustManager(tls.trustBundle().toFile())
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(TLS_13)
          .build();
      SslContext client = SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
          .trustManager(tls.trustBundle().toFile())
          .endpointIdentificationAlgorithm(null)
          .protocols(TLS_13)
          .build();
      return new TlsContexts(server, client);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot load TLS files " + tls + ": " + e.getMessage(), e);
    }
  }
}
