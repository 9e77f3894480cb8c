package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Decides whether a peer's {@link Hello} is acceptable: same protocol version and cluster id, a configured
 * member other than ourselves, the server we dialed (on connections we initiated), and under TLS the server
 * its certificate names.
 */
final class HandshakeRules {
  private final Hello local;
  private volatile Set<Long> members;
  private final boolean tls;

  HandshakeRules(Hello local, Set<Long> members, boolean tls) {
    this.local = local;
    this.members = Set.copyOf(members);
    this.tls = tls;
  }

  Hello local() {
    return local;
  }

  /** The members changed (a configuration change): handshakes of servers no longer listed are refused. */
  void members(Set<Long> members) {
    this.members = Set.copyOf(members);
  }

  /**
   * Returns the authenticated server id of the peer or throws {@link PeerProtocolException} saying why not.
   *
   * @param dialed the server we dialed, or 0 on an accepted connection
   */
  long check(Hello hello, Channel channel, long dialed) {
    if (hello.version() != local.version()) {
      throw new PeerProtocolException("handshake: protocol version " + hello.version()
          + " (offset 4), this server speaks " + local.version());
    }
    if (!hello.clusterId().equals(local.clusterId())) {
      throw new PeerProtocolException("handshake: cluster id '" + hello.clusterId() + "' (offset 14) differs from"
          + " this ensemble's '" + local.clusterId() + "'");
    }
    long sid = hello.serverId();
    if (sid == local.serverId()) {
      throw new PeerProtocolException("handshake: peer claims this server's own id " + sid);
    }
    if (!members.contains(sid)) {
      throw new PeerProtocolException("handshake: unknown server id " + sid + " (offset 5); members are "
          + members);
    }
    if (dialed != 0 && sid != dialed) {
      throw new PeerProtocolException("handshake: dialed server " + dialed + " but the peer says it is " + sid);
    }
    if (tls) {
      PeerIdentity.requireNames(peerCertificate(channel), sid);
    }
    return sid;
  }

  private static X509Certificate peerCertificate(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      throw new IllegalStateException("TLS is configured but the pipeline has no SslHandler");
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        throw new PeerProtocolException("TLS: the peer presented no X.509 certificate");
      }
      return leaf;
    } catch (SSLPeerUnverifiedException e) {
      throw new PeerProtocolException("TLS: the peer is not verified: " + e.getMessage());
    }
  }
}
