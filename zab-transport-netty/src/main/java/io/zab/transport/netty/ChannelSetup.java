package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.zab.Member;
import io.zab.wire.MessageCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of a connection, one handler per job:
 * {@code clock → [tls] → frames → handshake → messages → dispatch → guard}; once the peer is authenticated
 * the handshake handler leaves and {@code idle → keepalive} go in front of the framing.
 */
final class ChannelSetup {
  private final MessageCodec codec;
  private final HandshakeRules rules;
  private final PeerLinks links;
  private final TlsContexts tls;
  private final Duration handshakeTimeout;
  private final Duration idleTimeout;
  private final Rejections rejections;
  private final TransportStats stats;

  ChannelSetup(MessageCodec codec, HandshakeRules rules, PeerLinks links, TlsContexts tls,
      Duration handshakeTimeout, Duration idleTimeout, Rejections rejections, TransportStats stats) {
    this.stats = stats;
    this.codec = codec;
    this.rules = rules;
    this.links = links;
    this.tls = tls;
    this.handshakeTimeout = handshakeTimeout;
    this.idleTimeout = idleTimeout;
    this.rejections = rejections;
  }

  /** @param dialed the server this connection dials, or null for an accepted connection */
  void init(Channel channel, Member dialed) {
    ChannelPipeline p = channel.pipeline();
    p.addLast("clock", new ReadClock(System::nanoTime));
    if (tls != null) {
      SslHandler ssl = dialed != null
          ? tls.client().newHandler(channel.alloc(), dialed.host(), dialed.port())
          : tls.server().newHandler(channel.alloc());
      ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
      p.addLast("tls", ssl);
    }
    p.addLast("frames", new FrameDecoder(codec, stats));
    long dialedId = dialed == null ? 0 : dialed.id();
    p.addLast("handshake", new HandshakeHandler(rules, links, dialedId, handshakeTimeout, this::authenticated));
    p.addLast("messages", new MessageDecoder(codec));
    p.addLast("dispatch", new PeerDispatcher(links));
    p.addLast("guard", new ConnectionGuard(rejections));
  }

  private void authenticated(ChannelHandlerContext ctx) {
    ChannelPipeline p = ctx.pipeline();
    p.get(FrameDecoder.class).authenticated();
    long idle = idleTimeout.toNanos();
    p.addBefore("frames", "idle", new IdleStateHandler(idle, idle / 3, 0, TimeUnit.NANOSECONDS));
    p.addAfter("idle", "keepalive", new KeepAliveHandler(idleTimeout));
  }
}
