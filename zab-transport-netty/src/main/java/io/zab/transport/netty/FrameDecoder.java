package io.zab.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.zab.wire.MessageCodec;
import java.util.List;

/**
 * Splits the byte stream into frame bodies: a 4-byte big-endian length, then that many bytes. The length
 * is checked on the prefix, before any body byte is buffered: before the handshake against the small
 * handshake bound, after it against the codec's {@code maxFrameBytes}. After the handshake a zero length
 * is a keepalive and is dropped here. Once a frame is refused the rest of the stream is discarded.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private final MessageCodec codec;
  private final TransportStats stats;
  private boolean authenticated;
  private boolean failed;

  FrameDecoder(MessageCodec codec, TransportStats stats) {
    this.codec = codec;
    this.stats = stats;
  }

  /** Called by the handshake once the peer is authenticated: protocol frame sizes apply from now on. */
  void authenticated() {
    authenticated = true;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < MessageCodec.LENGTH_PREFIX_BYTES) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    if (authenticated && length == 0) {
      in.skipBytes(MessageCodec.LENGTH_PREFIX_BYTES);
      stats.received(MessageCodec.LENGTH_PREFIX_BYTES);
      return;
    }
    checkLength(length);
    if (in.readableBytes() < MessageCodec.LENGTH_PREFIX_BYTES + length) {
      return;
    }
    in.skipBytes(MessageCodec.LENGTH_PREFIX_BYTES);
    out.add(in.readRetainedSlice(length));
    stats.received(MessageCodec.LENGTH_PREFIX_BYTES + length);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    decode(ctx, in, out);
    if (!failed && in.isReadable()) {
      int have = in.readableBytes();
      failed = true;
      in.skipBytes(have);
      throw new PeerProtocolException("truncated frame: the connection ended inside a frame, after " + have
          + " bytes" + (have >= MessageCodec.LENGTH_PREFIX_BYTES ? " (length prefix "
          + in.getInt(in.readerIndex() - have) + ")" : " of the length prefix"));
    }
  }

  private void checkLength(int length) {
    try {
      if (!authenticated) {
        if (length < Hello.FIXED_BYTES || length > Hello.MAX_BODY_BYTES) {
          throw new PeerProtocolException("handshake frame length " + length + " (bytes 0..3) is outside ["
              + Hello.FIXED_BYTES + ", " + Hello.MAX_BODY_BYTES + "]");
        }
      } else {
        codec.checkFrameLength(length);
      }
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }
}
