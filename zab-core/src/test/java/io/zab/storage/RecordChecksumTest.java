package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The record checksums recovery computes ({@link SegmentFormat#recordCrc}, byte by byte, allocating nothing) against
 * the layout the class comment of {@link SegmentFormat} gives, written out with a buffer here, for every version; and
 * the header check against the append path's {@link SaltedRecordChecks}.
 */
class RecordChecksumTest {
  private static final long SALT = 0x8123_4567_89AB_CDEFL; // high bit set: sign extension would show
  private static final long ZXID = 0xF0E1_D2C3_B4A5_9687L;
  private static final int KIND = 0xC1;
  private static final byte[] PAYLOAD = {9, 8, 7, 6, 5, (byte) 0xFF};

  @Test
  void theHeaderCheckIsTheAppendPathsOne() {
    int expected = new SaltedRecordChecks().salt(SALT).headerCheck(-2, ZXID, KIND);
    assertThat(SegmentFormat.headerCheck(new CRC32C(), SALT, -2, ZXID, KIND)).isEqualTo(expected);
    assertThat(SegmentFormat.headerCheck(SALT, -2, ZXID, KIND)).isEqualTo(expected);
    ByteBuffer laidOut = ByteBuffer.allocate(21).putLong(SALT).putInt(-2).putLong(ZXID).put((byte) KIND);
    assertThat(SegmentFormat.headerCheck(SALT, -2, ZXID, KIND)).isEqualTo(crc(laidOut));
  }

  @Test
  void eachVersionsRecordChecksumCoversItsFieldsInOrder() {
    int len = PAYLOAD.length - 1; // from offset 1: the payload's bounds are honoured
    ByteBuffer v1 = ByteBuffer.allocate(8 + len).putLong(ZXID).put(PAYLOAD, 1, len);
    ByteBuffer v2 = ByteBuffer.allocate(9 + len).putLong(ZXID).put((byte) KIND).put(PAYLOAD, 1, len);
    ByteBuffer v4 = ByteBuffer.allocate(8 + 9 + 4 + len).putLong(SALT).putLong(ZXID).put((byte) KIND)
        .putInt(SegmentFormat.headerCheck(SALT, len, ZXID, KIND)).put(PAYLOAD, 1, len);
    CRC32C reused = new CRC32C();
    reused.update(42); // a used one is reset first
    assertThat(SegmentFormat.recordCrc(reused, SegmentFormat.VERSION_1, ZXID, KIND, PAYLOAD, 1, len))
        .isEqualTo(crc(v1));
    assertThat(SegmentFormat.recordCrc(reused, SegmentFormat.VERSION_2, ZXID, KIND, PAYLOAD, 1, len))
        .isEqualTo(crc(v2));
    assertThat(SegmentFormat.recordCrc(reused, SegmentFormat.VERSION, ZXID, KIND, PAYLOAD, 1, len))
        .isEqualTo(crc(v2));
    assertThat(SegmentFormat.recordCrc(reused, SegmentFormat.VERSION_4, SALT, ZXID, KIND, PAYLOAD, 1, len))
        .isEqualTo(crc(v4));
  }

  private static int crc(ByteBuffer laidOut) {
    CRC32C crc = new CRC32C();
    crc.update(laidOut.array(), 0, laidOut.position());
    return (int) crc.getValue();
  }
}
