package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zab.Zxid;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A leader's proposal is encoded once and its frame shared by every follower it goes to. Each follower's
 * connection consumes its frame (a partial socket write or TLS advances the frame's reader index, on the
 * connection's event loop, possibly flushed early by a keepalive): that must not shorten the frame the next
 * follower gets.
 */
class SharedFrameTest {
  @Test
  void aFrameConsumedByOneConnectionIsStillWholeForTheNext() throws Exception {
    NettyTransport t = (NettyTransport) NettyTransport.factory(TestCluster.fastConfig().build())
        .create(1, TestCluster.members(3));
    EmbeddedChannel ch = new EmbeddedChannel();
    try {
      Message proposal = new Message.Proposal(List.of(
          new Txn(new Zxid(0x1_0000_0001L), "x".repeat(100).getBytes(StandardCharsets.UTF_8))));
      int size = new MessageCodec(1 << 20).encodedSize(proposal);
      ByteBuf first = t.frameOf(proposal, size, ch);
      byte[] whole = ByteBufUtil.getBytes(first);
      first.skipBytes(first.readableBytes() / 2); // half of it went out on the first follower's connection

      ByteBuf second = t.frameOf(proposal, size, ch);
      try {
        assertThat(second.readableBytes()).isEqualTo(MessageCodec.LENGTH_PREFIX_BYTES + size);
        assertThat(ByteBufUtil.getBytes(second)).isEqualTo(whole);
      } finally {
        first.release();
        second.release();
      }
    } finally {
      t.flush(); // releases the shared frame
      t.close();
      ch.finishAndReleaseAll();
    }
  }
}
