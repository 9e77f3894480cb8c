package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.wire.CodecException;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pushes mutated frames through the production pipeline (framing, handshake, codec, dispatch, guard) in an
 * EmbeddedChannel. Every connection must end either with its frames delivered or with exactly one typed
 * rejection; no exception may escape the pipeline.
 */
class PipelineFuzzTest {
  private static final long SEED = 0x5eed_2a8L;
  private static final int CONNECTIONS = 120_000;
  private static final MessageCodec CODEC = new MessageCodec(64 * 1024);
  private static final Hello CLIENT_HELLO = new Hello(MessageCodec.VERSION, 2, "fuzz");
  private static final List<Message> SAMPLES = List.of(
      new Message.Notification(Role.LOOKING, 3, Zxid.of(2, 5), 7, 2),
      new Message.FollowerInfo(3, Zxid.of(3, 1)),
      new Message.LeaderInfo(4),
      new Message.AckEpoch(3, Zxid.of(3, 9)),
      new Message.Diff(Zxid.of(3, 9)),
      new Message.Trunc(Zxid.of(3, 2)),
      new Message.SnapChunk(Zxid.of(3, 9), 0, new byte[] {1, 2, 3, 4, 5}, true),
      new Message.NewLeader(4, Zxid.of(3, 9)),
      new Message.AckNewLeader(4),
      new Message.UpToDate(Zxid.of(3, 9)),
      new Message.Proposal(List.of(new Txn(Zxid.of(4, 1), new byte[] {7, 7}), new Txn(Zxid.of(4, 2), new byte[0]))),
      new Message.Ack(Zxid.of(4, 2)),
      new Message.Commit(Zxid.of(4, 2)),
      new Message.Request(9, new byte[] {1, 2, 3}),
      new Message.RequestReply(9, Zxid.of(4, 3), Message.RejectCode.NONE),
      new Message.Ping(Zxid.of(4, 3)),
      new Message.SyncRequest(5),
      new Message.SyncReply(5, Zxid.of(4, 3)));

  private long decoded;
  private long rejectedTyped;
  private long uncaught;
  private long mutatedFrames;

  @Test
  void mutatedFramesNeverEscapeThePipeline() {
    SplittableRandom random = new SplittableRandom(SEED);
    TransportStats stats = new TransportStats();
    for (int i = 0; i < CONNECTIONS; i++) {
      runOneConnection(random, stats);
    }
    System.out.printf("fuzz seed=%x connections=%d mutatedFrames=%d decoded=%d rejected=%d uncaught=%d "
        + "unexpected=%d%n", SEED, CONNECTIONS, mutatedFrames, decoded, rejectedTyped, uncaught,
        stats.unexpectedErrors());
    assertThat(mutatedFrames).isGreaterThanOrEqualTo(100_000);
    assertThat(uncaught).isZero();
    assertThat(stats.unexpectedErrors()).isZero();
    assertThat(decoded).isPositive();
    assertThat(rejectedTyped).isPositive();
  }

  private void runOneConnection(SplittableRandom random, TransportStats stats) {
    int[] delivered = {0};
    io.zab.transport.Transport.Inbound inbound = new io.zab.transport.Transport.Inbound() {
      @Override
      public void received(long from, Message message) {
        delivered[0]++;
      }

      @Override
      public void connected(long peer) {}

      @Override
      public void disconnected(long peer) {}
    };
    int[] rejections = {0};
    PeerLinks links = new PeerLinks(1, Set.of(2L), stats, peer -> {}, peer -> false, java.time.Duration.ofSeconds(5),
        System::nanoTime);
    links.start(inbound);
    Rejections counting = (channel, reason) -> {
      rejections[0]++;
      stats.connectionRejected(Rejections.expected(reason));
      if (!Rejections.expected(reason)) {
        reason.printStackTrace();
      }
    };
    ChannelSetup setup = new ChannelSetup(CODEC,
        new HandshakeRules(new Hello(MessageCodec.VERSION, 1, "fuzz"), Set.of(1L, 2L), false), links, null,
        Duration.ofSeconds(5), Duration.ofSeconds(10), counting, stats);
    EmbeddedChannel ch = new EmbeddedChannel();
    setup.init(ch, null);

    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    boolean fuzzHandshake = random.nextInt(10) == 0;
    ByteBuf hello = Unpooled.buffer();
    CLIENT_HELLO.writeFrame(hello);
    byte[] helloBytes = new byte[hello.readableBytes()];
    hello.readBytes(helloBytes);
    stream.writeBytes(fuzzHandshake ? mutate(helloBytes, random) : helloBytes);
    stream.writeBytes(frame(random));
    stream.writeBytes(mutate(frame(random), random));
    mutatedFrames++;
    stream.writeBytes(frame(random));

    byte[] all = stream.toByteArray();
    try {
      int at = 0;
      while (at < all.length && ch.isOpen()) { // a closed connection reads no more, like a socket
        // arbitrary split points, a few per connection, as TCP may deliver them
        int n = random.nextInt(4) == 0 ? all.length - at : Math.min(all.length - at, 1 + random.nextInt(48));
        ch.writeInbound(Unpooled.wrappedBuffer(all, at, n));
        at += n;
      }
      ch.finish();
      ch.checkException();
    } catch (Throwable t) {
      uncaught++;
      t.printStackTrace();
    }
    decoded += delivered[0];
    if (rejections[0] > 0) {
      rejectedTyped++;
    }
    assertThat(rejections[0]).as("one rejection at most per connection").isLessThanOrEqualTo(1);
    if (rejections[0] == 0) {
      assertThat(delivered[0]).as("a connection that was not rejected delivered its frames").isGreaterThan(0);
    }
  }

  private static byte[] frame(SplittableRandom random) {
    return CODEC.encodeFrame(SAMPLES.get(random.nextInt(SAMPLES.size())));
  }

  private static final int[] BOUNDARY_INTS = {0, 1, 2, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 255, 65535,
      64 * 1024, 64 * 1024 + 1};

  private static byte[] mutate(byte[] frame, SplittableRandom random) {
    byte[] f = frame.clone();
    switch (random.nextInt(8)) {
      case 0 -> { // flip a few bits anywhere
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
          f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> f[random.nextInt(f.length)] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 1}[random.nextInt(5)];
      case 2 -> { // body cut short, prefix unchanged
        f = java.util.Arrays.copyOf(f, 4 + random.nextInt(Math.max(1, f.length - 4)));
      }
      case 3 -> { // body cut short, prefix consistent
        int len = random.nextInt(Math.max(1, f.length - 4));
        f = java.util.Arrays.copyOf(f, 4 + len);
        putInt(f, 0, len);
      }
      case 4 -> { // extra bytes, prefix consistent
        int extra = 1 + random.nextInt(16);
        byte[] g = java.util.Arrays.copyOf(f, f.length + extra);
        for (int k = f.length; k < g.length; k++) {
          g[k] = (byte) random.nextInt(256);
        }
        putInt(g, 0, g.length - 4);
        f = g;
      }
      case 5 -> putInt(f, 0, BOUNDARY_INTS[random.nextInt(BOUNDARY_INTS.length)]);
      case 6 -> { // a boundary int over any 4 bytes of the body (lengths, counts, enum codes)
        if (f.length >= 8) {
          putInt(f, 4 + random.nextInt(f.length - 7), BOUNDARY_INTS[random.nextInt(BOUNDARY_INTS.length)]);
        }
      }
      default -> { // random version or type byte
        f[4 + random.nextInt(Math.min(2, f.length - 4))] = (byte) random.nextInt(256);
      }
    }
    return f;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static {
    // make sure the samples cover every message type the codec knows
    assert SAMPLES.stream().map(Object::getClass).distinct().count() == SAMPLES.size();
    assert CodecException.class != null;
  }
}
