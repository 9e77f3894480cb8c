package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.zab.wire.CodecException;
import io.zab.wire.MessageCodec;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final FrameDecoder decoder = new FrameDecoder(new MessageCodec(1024), new TransportStats());
  private final EmbeddedChannel ch = new EmbeddedChannel(decoder);

  private static ByteBuf bytes(int... b) {
    ByteBuf buf = Unpooled.buffer();
    for (int x : b) {
      buf.writeByte(x);
    }
    return buf;
  }

  @Test
  void framesSplitAtAnyByteAreReassembled() {
    decoder.authenticated();
    ByteBuf stream = Unpooled.buffer().writeInt(3).writeBytes(new byte[] {1, 2, 3}).writeInt(2)
        .writeBytes(new byte[] {9, 8});
    while (stream.isReadable()) {
      ch.writeInbound(stream.readRetainedSlice(1));
    }
    ByteBuf first = ch.readInbound();
    ByteBuf second = ch.readInbound();
    assertThat(first.readableBytes()).isEqualTo(3);
    assertThat(second.getByte(0)).isEqualTo((byte) 9);
    first.release();
    second.release();
    stream.release();
  }

  @Test
  void anOversizedPrefixIsRefusedBeforeAnyBodyByteArrives() {
    decoder.authenticated();
    assertThatThrownBy(() -> ch.writeInbound(bytes(0, 0, 0x04, 0x01)))
        .isInstanceOf(DecoderException.class).hasCauseInstanceOf(CodecException.class);
    // the rest of the stream is discarded, not parsed as more frames
    ch.writeInbound(Unpooled.buffer().writeInt(1).writeByte(1));
    assertThat((Object) ch.readInbound()).isNull();
  }

  @Test
  void beforeTheHandshakeOnlySmallFramesPassAndEmptyOnesAreRefused() {
    assertThatThrownBy(() -> ch.writeInbound(bytes(0, 0, 0x02, 0x00)))
        .hasCauseInstanceOf(PeerProtocolException.class).hasMessageContaining("handshake frame length 512");
    EmbeddedChannel fresh = new EmbeddedChannel(new FrameDecoder(new MessageCodec(1024), new TransportStats()));
    assertThatThrownBy(() -> fresh.writeInbound(bytes(0, 0, 0, 0)))
        .hasMessageContaining("handshake frame length 0");
  }

  @Test
  void afterTheHandshakeAnEmptyFrameIsAKeepaliveAndIsDropped() {
    decoder.authenticated();
    ch.writeInbound(Unpooled.buffer().writeInt(0).writeInt(2).writeByte(7).writeByte(8));
    ByteBuf frame = ch.readInbound();
    assertThat(frame.readableBytes()).isEqualTo(2);
    frame.release();
    assertThat((Object) ch.readInbound()).isNull();
  }

  @Test
  void aStreamEndingInsideAFrameIsATruncatedFrame() {
    decoder.authenticated();
    ch.writeInbound(bytes(0, 0, 0, 10, 1, 2));
    assertThatThrownBy(ch::finish).hasMessageContaining("truncated frame")
        .hasMessageContaining("after 6 bytes (length prefix 10)");
  }
}
