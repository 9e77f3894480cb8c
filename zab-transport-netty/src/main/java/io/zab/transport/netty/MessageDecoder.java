package io.zab.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.zab.wire.MessageCodec;
import java.util.List;

/** Decodes one frame body into a {@link io.zab.wire.Message} with the zab codec. */
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  private final MessageCodec codec;

  MessageDecoder(MessageCodec codec) {
    super(ByteBuf.class);
    this.codec = codec;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
    out.add(codec.decode(body.nioBuffer()));
  }
}
