package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.LongSupplier;

/**
 * First handler of every pipeline: notes when the connection last received anything (keepalives included), so
 * {@link PeerLinks} can tell a connection in use that is alive from one that has gone silent.
 */
final class ReadClock extends ChannelInboundHandlerAdapter {
  private final LongSupplier clock;
  private volatile long lastRead;

  /** @param clock nanoseconds, {@code System::nanoTime} outside tests */
  ReadClock(LongSupplier clock) {
    this.clock = clock;
    this.lastRead = clock.getAsLong();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastRead = clock.getAsLong();
    ctx.fireChannelRead(msg);
  }

  /** When {@code channel} last received bytes (per its clock), or null if it has no clock. */
  static Long lastRead(Channel channel) {
    ReadClock clock = channel.pipeline().get(ReadClock.class);
    return clock == null ? null : clock.lastRead;
  }
}
