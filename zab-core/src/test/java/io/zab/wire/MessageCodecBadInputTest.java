package io.zab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each malformed input fails with a CodecException that names the type, the field and the body offset. */
class MessageCodecBadInputTest {

  private final MessageCodec codec = new MessageCodec();

  @Test
  void oversizedLengthPrefixIsRefusedBeforeAllocating() {
    CodecException e = catchThrowableOfType(CodecException.class,
        () -> codec.checkFrameLength(MessageCodec.DEFAULT_MAX_FRAME_BYTES + 1));

    assertThat(e.typeByte()).isEqualTo(-1);
    assertThat(e.field()).isEqualTo("length prefix");
    assertThat(e.offset()).isEqualTo(-MessageCodec.LENGTH_PREFIX_BYTES);
    assertThat(e).hasMessage("bad (type not read) frame: field length prefix length 16777217 exceeds the max frame"
        + " of 16777216 bytes at offset -4");
  }

  @Test
  void negativeOrTooShortLengthPrefixIsRefused() {
    for (int length : new int[] {Integer.MIN_VALUE, -1, 0, 1}) {
      CodecException e = catchThrowableOfType(CodecException.class, () -> codec.checkFrameLength(length));
      assertThat(e.field()).isEqualTo("length prefix");
      assertThat(e).hasMessageContaining("length " + length + " is below the 2-byte header");
    }
    assertThat(codec.checkFrameLength(2)).isEqualTo(2);
    assertThat(codec.checkFrameLength(MessageCodec.DEFAULT_MAX_FRAME_BYTES))
        .isEqualTo(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  @Test
  void bodyLargerThanTheMaxFrameIsRefused() {
    MessageCodec small = new MessageCodec(16);
    byte[] body = codec.encode(new Message.Request(1, new byte[3]));  // 17 bytes

    CodecException e = catchThrowableOfType(CodecException.class, () -> small.decode(ByteBuffer.wrap(body)));

    assertThat(e.offset()).isZero();
    assertThat(e).hasMessageContaining("body of 17 bytes exceeds the max frame of 16 bytes");
  }

  @Test
  void unknownTypeByteIsRefused() {
    CodecException e = decodeFails(new byte[] {MessageCodec.VERSION, 0x7F, 0, 0});

    assertThat(e.typeByte()).isEqualTo(0x7F);
    assertThat(e.field()).isEqualTo("type");
    assertThat(e.offset()).isEqualTo(1);
    assertThat(e).hasMessage("bad (unknown type 0x7f) frame: field type unknown type byte 127 at offset 1");
  }

  @Test
  void wrongVersionIsRefused() {
    byte[] body = codec.encode(new Message.Ack(Zxid.of(1, 1)));
    body[0] = 5;

    CodecException e = decodeFails(body);

    assertThat(e.typeByte()).isEqualTo(-1);
    assertThat(e.field()).isEqualTo("version");
    assertThat(e.offset()).isZero();
    assertThat(e).hasMessageContaining("unsupported version 5 (expected 4)");
  }

  /** Issue 11: version 1 bodies (proposals without txn kinds) are refused, never read as version 2. */
  @Test
  void aVersion1BodyIsRefusedNotMisread() {
    // a version 1 PROPOSAL of one txn: count, then zxid and data with no kind byte
    ByteBuffer v1 = ByteBuffer.allocate(2 + 4 + 8 + 4 + 3);
    v1.put((byte) 1).put((byte) MessageType.PROPOSAL.code()).putInt(1).putLong(Zxid.of(1, 1).value()).putInt(3)
        .put(new byte[] {1, 2, 3});

    CodecException e = decodeFails(v1.array());

    assertThat(e.field()).isEqualTo("version");
    assertThat(e).hasMessageContaining("unsupported version 1 (expected 4)");
  }

  /**
   * Issue 14: version 2 bodies (notifications and FollowerInfo without the voting flag) are refused, so a server of
   * that version can never be counted as a voter by mistake.
   */
  @Test
  void aVersion2NotificationIsRefusedNotMisread() {
    ByteBuffer v2 = ByteBuffer.allocate(2 + 1 + 4 * 8);
    v2.put((byte) 2).put((byte) MessageType.NOTIFICATION.code()).put((byte) 0).putLong(1).putLong(0).putLong(1)
        .putLong(0);

    CodecException e = decodeFails(v2.array());

    assertThat(e.field()).isEqualTo("version");
    assertThat(e).hasMessageContaining("unsupported version 2 (expected 4)");
  }

  /**
   * Issue 11 (stranded members): version 3 notifications (without the sender's configuration) are refused, so a
   * server of that version gets a clear refusal instead of a vote read without its configuration.
   */
  @Test
  void aVersion3NotificationIsRefusedNotMisread() {
    byte[] v4 = codec.encode(new Message.Notification(Role.LOOKING, 1, Zxid.ZERO, 1, 0));
    byte[] v3 = Arrays.copyOf(v4, v4.length - 8 - 4);
    v3[0] = 3;

    CodecException e = decodeFails(v3);

    assertThat(e.field()).isEqualTo("version");
    assertThat(e).hasMessageContaining("unsupported version 3 (expected 4)");
  }

  @Test
  void aNotificationWhoseMembershipIsNotOneIsRefusedNamingTheField() {
    Membership m = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1), Member.local(2))));
    byte[] body = codec.encode(new Message.Notification(Role.FOLLOWING, 2, Zxid.of(1, 3), 1, 1, true, 7, m));
    int membershipAt = 2 + 1 + 4 * 8 + 1 + 8;
    byte[] badFormat = body.clone();
    badFormat[membershipAt + 4] = 9; // the membership's format byte

    CodecException e = decodeFails(badFormat);

    assertThat(e.field()).isEqualTo("membership");
    assertThat(e.offset()).isEqualTo(membershipAt);
    assertThat(e).hasMessageContaining("unknown membership format 9");

    byte[] truncated = Arrays.copyOf(body, body.length - 3);
    e = decodeFails(truncated);
    assertThat(e.field()).isEqualTo("membership");
    assertThat(e).hasMessageContaining("exceeds remaining");

    byte[] tooShort = body.clone();
    ByteBuffer.wrap(tooShort).putInt(membershipAt, 3); // a length shorter than the membership: 3 bytes then junk
    e = decodeFails(Arrays.copyOf(tooShort, membershipAt + 4 + 3));
    assertThat(e.field()).isEqualTo("membership");
    assertThat(e).hasMessageContaining("bad membership");
  }

  @Test
  void aNotificationRoundTripsWithAndWithoutItsMembership() {
    Membership joint = Membership.joint(ClusterConfiguration.of(List.of(Member.local(1), Member.local(2),
        Member.local(3))), ClusterConfiguration.of(List.of(new Member(1, "a.example", 2181),
        new Member(2, "b.example", 2182), new Member(5, "e.example", 2185))));
    for (Message.Notification n : List.of(new Message.Notification(Role.LEADING, 5, Zxid.of(2, 9), 3, 2, true,
        Zxid.of(2, 4).value(), joint), new Message.Notification(Role.LOOKING, 2, Zxid.of(1, 1), 4, 1, false, 0, null))) {
      assertThat(codec.decode(ByteBuffer.wrap(codec.encode(n)))).isEqualTo(n);
    }
  }

  @Test
  void aVotingFlagOtherThanZeroOrOneIsRefused() {
    byte[] body = codec.encode(new Message.FollowerInfo(1, Zxid.of(1, 1), false));
    body[body.length - 1] = 2;

    CodecException e = decodeFails(body);

    assertThat(e.field()).isEqualTo("voting");
  }

  @Test
  void txnKindsRoundTripAndAnUnknownKindIsRefused() {
    Message.Proposal p = new Message.Proposal(List.of(new Txn(Zxid.of(1, 1), Txn.Kind.CONFIG, new byte[] {9}),
        new Txn(Zxid.of(1, 2), new byte[] {7})));
    assertThat(codec.decode(ByteBuffer.wrap(codec.encode(p)))).isEqualTo(p);

    byte[] body = codec.encode(p);
    body[2 + 4 + 8] = 7; // the first txn's kind byte
    CodecException e = decodeFails(body);
    assertThat(e.field()).isEqualTo("txns[0].kind");
    assertThat(e.offset()).isEqualTo(14);
    assertThat(e).hasMessageContaining("unknown txn kind code 7");
  }

  @Test
  void emptyBodyIsTruncatedAtTheVersion() {
    CodecException e = decodeFails(new byte[0]);

    assertThat(e.field()).isEqualTo("version");
    assertThat(e.offset()).isZero();
    assertThat(e).hasMessageContaining("truncated");
  }

  @Test
  void truncatedBodyNamesTheFieldItStopsIn() {
    byte[] body = codec.encode(new Message.AckEpoch(5, Zxid.of(5, 6)));

    CodecException e = decodeFails(Arrays.copyOf(body, body.length - 3));

    assertThat(e.typeByte()).isEqualTo(MessageType.ACK_EPOCH.code());
    assertThat(e.field()).isEqualTo("lastZxid");
    assertThat(e.offset()).isEqualTo(10);
    assertThat(e).hasMessage(
        "bad ACK_EPOCH frame: field lastZxid truncated: needs 8 bytes but only 5 remain at offset 10");
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] body = codec.encode(new Message.Ack(Zxid.of(1, 1)));

    CodecException e = decodeFails(Arrays.copyOf(body, body.length + 2));

    assertThat(e.typeByte()).isEqualTo(MessageType.ACK.code());
    assertThat(e.field()).isNull();
    assertThat(e.offset()).isEqualTo(10);
    assertThat(e).hasMessage("bad ACK frame: 2 trailing bytes after the last field at offset 10");
  }

  @Test
  void hugeInnerArrayLengthIsRefusedBeforeAllocating() {
    List<Txn> txns = List.of(txn(1, 5), txn(2, 5), txn(3, 5), txn(4, 12));
    byte[] body = codec.encode(new Message.Proposal(txns));
    // header 2 + count 4 + three txns of (zxid 8 + kind 1 + length 4 + 5 data) + zxid 8 and kind 1 of txns[3]
    int lengthAt = 2 + 4 + 3 * 18 + 8 + 1;
    ByteBuffer.wrap(body).putInt(lengthAt, 99_999_999);

    CodecException e = decodeFails(body);

    assertThat(e.typeByte()).isEqualTo(MessageType.PROPOSAL.code());
    assertThat(e.field()).isEqualTo("txns[3].data");
    assertThat(e.offset()).isEqualTo(lengthAt);
    assertThat(e).hasMessage(
        "bad PROPOSAL frame: field txns[3].data length 99999999 exceeds remaining 12 bytes at offset 69");
  }

  @Test
  void negativeArrayLengthIsRefused() {
    byte[] body = codec.encode(new Message.Request(9, new byte[4]));
    ByteBuffer.wrap(body).putInt(10, -1);

    CodecException e = decodeFails(body);

    assertThat(e.field()).isEqualTo("data");
    assertThat(e.offset()).isEqualTo(10);
    assertThat(e).hasMessage("bad REQUEST frame: field data negative length -1 at offset 10");
  }

  @Test
  void hugeTxnCountIsRefusedBeforeAllocating() {
    byte[] body = codec.encode(new Message.Proposal(List.of(txn(1, 0))));
    ByteBuffer.wrap(body).putInt(2, Integer.MAX_VALUE);

    CodecException e = decodeFails(body);

    assertThat(e.field()).isEqualTo("txns");
    assertThat(e.offset()).isEqualTo(2);
    assertThat(e).hasMessageContaining("count 2147483647 needs at least 27917287411 bytes but only 13 remain");
  }

  @Test
  void emptyProposalIsRefusedByTheRecordAndWrapped() {
    byte[] body = {MessageCodec.VERSION, (byte) MessageType.PROPOSAL.code(), 0, 0, 0, 0};

    CodecException e = decodeFails(body);

    assertThat(e.field()).isEqualTo("txns");
    assertThat(e.offset()).isEqualTo(2);
    assertThat(e).hasMessage("bad PROPOSAL frame: field txns invalid value: empty proposal at offset 2")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeSnapshotOffsetIsRefusedByTheRecordAndWrapped() {
    byte[] body = codec.encode(new Message.SnapChunk(Zxid.of(2, 3), 0, new byte[2], false));
    ByteBuffer.wrap(body).putLong(10, -5);

    CodecException e = decodeFails(body);

    assertThat(e.typeByte()).isEqualTo(MessageType.SNAP_CHUNK.code());
    assertThat(e.field()).isEqualTo("offset");
    assertThat(e.offset()).isEqualTo(10);
    assertThat(e).hasMessageContaining("invalid value: negative snapshot offset -5")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void booleanOtherThanZeroOrOneIsRefused() {
    byte[] body = codec.encode(new Message.SnapChunk(Zxid.of(2, 3), 0, new byte[2], true));
    body[body.length - 1] = 2;

    CodecException e = decodeFails(body);

    assertThat(e.field()).isEqualTo("last");
    assertThat(e.offset()).isEqualTo(body.length - 1);
    assertThat(e).hasMessageContaining("boolean byte 2 is not 0 or 1");
  }

  @Test
  void unknownEnumCodesAreRefused() {
    byte[] vote = codec.encode(new Message.Notification(Role.LOOKING, 1, Zxid.ZERO, 1, 0));
    vote[2] = 4;
    CodecException e = decodeFails(vote);
    assertThat(e.field()).isEqualTo("state");
    assertThat(e.offset()).isEqualTo(2);
    assertThat(e).hasMessageContaining("unknown Role code 4");

    byte[] reply = codec.encode(new Message.RequestReply(1, Zxid.ZERO, Message.RejectCode.CLOSED));
    reply[reply.length - 1] = (byte) 200;
    e = decodeFails(reply);
    assertThat(e.field()).isEqualTo("error");
    assertThat(e.offset()).isEqualTo(18);
    assertThat(e).hasMessageContaining("unknown RejectCode code 200");
  }

  @Test
  void failedDecodeLeavesTheBufferPositionUnchanged() {
    byte[] body = codec.encode(new Message.Ack(Zxid.of(1, 1)));
    ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(body, body.length - 1));

    assertThatThrownBy(() -> codec.decode(in)).isInstanceOf(CodecException.class);
    assertThat(in.position()).isZero();
  }

  @Test
  void encodingAMessageOverTheMaxFrameFailsBeforeWriting() {
    MessageCodec small = new MessageCodec(20);
    Message big = new Message.Request(1, new byte[7]);  // 21 bytes
    ByteBuffer out = ByteBuffer.allocate(64);

    CodecException e = catchThrowableOfType(CodecException.class, () -> small.encode(big, out));

    assertThat(e.typeByte()).isEqualTo(MessageType.REQUEST.code());
    assertThat(e).hasMessageContaining("encoded body of 21 bytes exceeds the max frame of 20 bytes");
    assertThat(out.position()).isZero();
    assertThatThrownBy(() -> small.encodeFrame(big)).isInstanceOf(CodecException.class);
  }

  @Test
  void encodingIntoTooSmallABufferWritesNothing() {
    ByteBuffer out = ByteBuffer.allocate(9);

    assertThatThrownBy(() -> codec.encode(new Message.Ack(Zxid.ZERO), out))
        .isInstanceOf(BufferOverflowException.class);
    assertThat(out.position()).isZero();
  }

  @Test
  void maxFrameBytesMustHoldAHeader() {
    assertThatThrownBy(() -> new MessageCodec(1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MessageCodec(2).maxFrameBytes()).isEqualTo(2);
    assertThat(new MessageCodec().maxFrameBytes()).isEqualTo(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  private CodecException decodeFails(byte[] body) {
    return catchThrowableOfType(CodecException.class, () -> codec.decode(ByteBuffer.wrap(body)));
  }

  private static Txn txn(long counter, int length) {
    return new Txn(Zxid.of(1, counter), new byte[length]);
  }
}
