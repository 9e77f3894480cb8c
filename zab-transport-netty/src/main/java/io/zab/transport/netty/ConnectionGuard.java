package io.zab.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;

/**
 * Last handler of every pipeline: any error on a connection closes that connection only, after reporting
 * the remote address and the reason. Only the first error of a connection is reported (later ones are
 * echoes of it, such as the rest of a garbage stream). Nothing propagates to the event loop, which keeps
 * serving.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
  private final Rejections rejections;
  private boolean reported;

  ConnectionGuard(Rejections rejections) {
    this.rejections = rejections;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!reported) {
      reported = true;
      Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      rejections.rejected(ctx.channel(), reason);
    }
    ctx.close();
  }
}
