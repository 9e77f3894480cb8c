package io.zab.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * Acts on the idle events of the {@link io.netty.handler.timeout.IdleStateHandler} placed before it: sends an
 * empty frame (a keepalive) when nothing was written for a while, and fails the connection when nothing
 * was read for the idle timeout, so a silently dead peer is noticed. Not while reading is paused for
 * backpressure ({@link PeerDispatcher}): then nothing is read by choice, which says nothing about the peer.
 */
final class KeepAliveHandler extends ChannelInboundHandlerAdapter {
  private static final byte[] EMPTY_FRAME = new byte[4];
  private final Duration idleTimeout;

  KeepAliveHandler(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(EMPTY_FRAME), ctx.voidPromise());
      } else if (idle.state() == IdleState.READER_IDLE && ctx.channel().config().isAutoRead()) {
        ctx.fireExceptionCaught(new PeerProtocolException("idle timeout: nothing received for "
            + idleTimeout.toMillis() + " ms"));
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }
}
