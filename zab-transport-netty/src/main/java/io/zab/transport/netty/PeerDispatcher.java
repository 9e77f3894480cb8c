package io.zab.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.zab.wire.Message;

/** Hands decoded messages of an authenticated connection to the transport, and reports its end. */
final class PeerDispatcher extends SimpleChannelInboundHandler<Message> {
  private final PeerLinks links;

  PeerDispatcher(PeerLinks links) {
    super(Message.class);
    this.links = links;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message message) {
    links.deliver(ctx.channel(), message);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    links.channelClosed(ctx.channel());
    ctx.fireChannelInactive();
  }
}
