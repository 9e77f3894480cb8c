package io.zab.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecRoundTripTest {

  private static final int INSTANCES_PER_TYPE = 25;

  private final MessageCodec codec = new MessageCodec();

  /** {@code INSTANCES_PER_TYPE} generated instances of every Message record, each from its own seed. */
  static Stream<Arguments> messages() {
    return Arrays.stream(Message.class.getPermittedSubclasses())
        .flatMap(type -> IntStream.range(0, INSTANCES_PER_TYPE).mapToObj(seed -> Arguments.of(
            type.getSimpleName() + "#" + seed,
            new MessageGenerator(seed * 1_000_003L + type.getSimpleName().hashCode())
                .next(type.asSubclass(Message.class)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void decodesWhatItEncodes(String name, Message m) {
    byte[] body = codec.encode(m);

    assertThat(codec.encodedSize(m)).isEqualTo(body.length);
    assertThat(body[0]).isEqualTo(MessageCodec.VERSION);
    assertThat(body[1] & 0xFF).isEqualTo(MessageType.of(m).code());
    assertThat(codec.decode(ByteBuffer.wrap(body))).isEqualTo(m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void frameIsBigEndianLengthThenBody(String name, Message m) {
    byte[] frame = codec.encodeFrame(m);
    ByteBuffer in = ByteBuffer.wrap(frame);

    int length = codec.checkFrameLength(in.getInt());

    assertThat(length).isEqualTo(frame.length - MessageCodec.LENGTH_PREFIX_BYTES);
    assertThat(Arrays.copyOfRange(frame, MessageCodec.LENGTH_PREFIX_BYTES, frame.length)).isEqualTo(codec.encode(m));
    assertThat(codec.decode(in)).isEqualTo(m);
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void everyMessageRecordHasAGeneratorAndATypeCode() {
    List<Class<?>> permitted = List.of(Message.class.getPermittedSubclasses());

    assertThat(new MessageGenerator(0).generatedTypes()).containsExactlyInAnyOrderElementsOf(
        permitted.stream().map(c -> c.asSubclass(Message.class)).toList());
    assertThat(Arrays.stream(MessageType.values()).map(MessageType::recordClass))
        .containsExactlyInAnyOrderElementsOf(permitted.stream().map(c -> c.asSubclass(Message.class)).toList());
  }

  @Test
  void typeCodesAreFrozen() {
    // peers of different builds must agree on these: a change here breaks the wire format
    assertThat(Arrays.stream(MessageType.values()).map(t -> t.code() + " " + t.recordClass().getSimpleName()))
        .containsExactly("1 Notification", "2 FollowerInfo", "3 LeaderInfo", "4 AckEpoch", "5 Diff", "6 Trunc",
            "7 SnapChunk", "8 NewLeader", "9 AckNewLeader", "10 UpToDate", "11 Proposal", "12 Ack", "13 Commit",
            "14 Request", "15 RequestReply", "16 Ping", "17 SyncRequest", "18 SyncReply", "19 ConfigRequest",
            "20 TransferRequest", "21 Handover");
    for (MessageType t : MessageType.values()) {
      assertThat(MessageType.fromCode(t.code())).isSameAs(t);
    }
    assertThat(MessageType.fromCode(0)).isNull();
    assertThat(MessageType.fromCode(22)).isNull();
  }

  @Test
  void manyRandomMessagesRoundTrip() {
    MessageGenerator generator = new MessageGenerator(42);
    for (int i = 0; i < 20_000; i++) {
      Message m = generator.next();
      byte[] body = codec.encode(m);
      assertThat(body).as("size of %s", m).hasSize(codec.encodedSize(m));
      assertThat(codec.decode(ByteBuffer.wrap(body))).as("message %d", i).isEqualTo(m);
    }
  }

  @Test
  void encodesAtTheBufferPositionAndKeepsItsByteOrder() {
    Message m = new Message.SyncReply(0x0102030405060708L, Zxid.of(7, 9));
    ByteBuffer out = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
    out.position(5);

    codec.encode(m, out);

    assertThat(out.position()).isEqualTo(5 + codec.encodedSize(m));
    assertThat(out.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    byte[] written = new byte[codec.encodedSize(m)];
    out.get(5, written);
    assertThat(written).isEqualTo(codec.encode(m));
    // big-endian fields regardless of the buffer's order: requestId's most significant byte comes first
    assertThat(written[2]).isEqualTo((byte) 0x01);
  }

  @Test
  void decodesFromTheBufferPositionToItsLimitAndKeepsItsByteOrder() {
    Message m = new Message.Request(77, new byte[] {1, 2, 3});
    byte[] body = codec.encode(m);
    ByteBuffer in = ByteBuffer.allocate(body.length + 10).order(ByteOrder.LITTLE_ENDIAN);
    in.position(3).put(body).flip().position(3);

    assertThat(codec.decode(in)).isEqualTo(m);
    assertThat(in.position()).isEqualTo(in.limit());
    assertThat(in.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void aMessageOfExactlyTheMaxFrameRoundTrips() {
    MessageCodec small = new MessageCodec(100);
    // REQUEST body: 2 header + 8 requestId + 4 length + data
    Message m = new Message.Request(1, new byte[100 - 14]);

    byte[] body = small.encode(m);

    assertThat(body).hasSize(100);
    assertThat(small.decode(ByteBuffer.wrap(body))).isEqualTo(m);
  }
}
