package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.zab.wire.Message;

/**
 * Hands decoded messages of an authenticated connection to the transport, and reports its end. When the
 * receiver has no room for more, it stops reading from this connection (auto-read off: the peer's TCP window
 * fills and its writes back up) until the receiver says there is room again; the event loop itself never
 * waits, so the other connections it serves go on.
 */
final class PeerDispatcher extends SimpleChannelInboundHandler<Message> {
  private final PeerLinks links;

  PeerDispatcher(PeerLinks links) {
    super(Message.class);
    this.links = links;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message message) {
    links.deliver(ctx.channel(), message);
    Channel ch = ctx.channel();
    if (ch.config().isAutoRead() && !links.hasRoom()) {
      ch.config().setAutoRead(false); // messages already read are still delivered; nothing is dropped
      links.whenRoom(() -> ch.config().setAutoRead(true));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    links.channelClosed(ctx.channel());
    ctx.fireChannelInactive();
  }
}
