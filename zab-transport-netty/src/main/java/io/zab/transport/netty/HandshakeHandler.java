package io.zab.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The zab handshake of one connection. The initiator sends its {@link Hello} first; the acceptor checks
 * it, registers the connection and only then answers with its own, so an initiator never sees a connection
 * that the acceptor refused. No protocol frame passes before the peer is authenticated: until then this
 * handler consumes every frame, and the whole exchange (TLS included) must finish within the timeout.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
  private final HandshakeRules rules;
  private final PeerLinks links;
  private final long dialed;
  private final Duration timeout;
  private final Consumer<ChannelHandlerContext> onAuthenticated;
  private ScheduledFuture<?> timer;

  /**
   * @param dialed the server this connection was dialed to, or 0 for an accepted connection
   * @param onAuthenticated adjusts the pipeline once the peer is authenticated
   */
  HandshakeHandler(HandshakeRules rules, PeerLinks links, long dialed, Duration timeout,
      Consumer<ChannelHandlerContext> onAuthenticated) {
    this.rules = rules;
    this.links = links;
    this.dialed = dialed;
    this.timeout = timeout;
    this.onAuthenticated = onAuthenticated;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    begin(ctx);
    ctx.fireChannelActive();
  }

  private void begin(ChannelHandlerContext ctx) {
    if (timer != null) {
      return;
    }
    timer = ctx.executor().schedule(() -> ctx.fireExceptionCaught(new PeerProtocolException(
        "handshake not completed within " + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (dialed != 0) {
      sendHello(ctx);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    try {
      Hello hello = Hello.read(body);
      long peer = rules.check(hello, ctx.channel(), dialed);
      long initiator = dialed != 0 ? rules.local().serverId() : peer;
      ctx.channel().attr(PeerLinks.PEER).set(peer);
      links.activate(peer, ctx.channel(), initiator);
      if (dialed == 0) {
        sendHello(ctx);
      }
      timer.cancel(false);
      onAuthenticated.accept(ctx);
      ctx.pipeline().remove(this);
    } finally {
      body.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  private void sendHello(ChannelHandlerContext ctx) {
    ByteBuf frame = ctx.alloc().buffer(Hello.MAX_BODY_BYTES + 4);
    rules.local().writeFrame(frame);
    ctx.writeAndFlush(frame, ctx.voidPromise());
  }
}
