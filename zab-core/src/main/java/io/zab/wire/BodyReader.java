package io.zab.wire;

import io.zab.Zxid;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * A bounds-checked cursor over one message body. Every read checks the remaining bytes first and every
 * length or count is checked against them before anything is allocated, so malformed input fails with a
 * {@link CodecException} naming the type, field and body offset, never with an unchecked buffer error.
 *
 * <p>Reads use absolute indices: the buffer's position is left alone (the codec moves it on success).
 * Field names such as {@code txns[3].data} are only built when a read fails.
 */
final class BodyReader {

  private final ByteBuffer buf;
  private final int start;
  private final int limit;
  private int pos;
  private int typeByte = -1;

  /** Reads from {@code buf.position()} to {@code buf.limit()}; the buffer must be big-endian. */
  BodyReader(ByteBuffer buf) {
    this.buf = buf;
    this.start = buf.position();
    this.limit = buf.limit();
    this.pos = start;
  }

  void typeByte(int typeByte) {
    this.typeByte = typeByte;
  }

  /** Offset of the next read within the body. */
  int offset() {
    return pos - start;
  }

  int remaining() {
    return limit - pos;
  }

  int u8(String field) {
    return u8(field, -1, null);
  }

  int u8(String field, int index, String sub) {
    require(field, index, sub, 1);
    return buf.get(pos++) & 0xFF;
  }

  long i64(String field) {
    return i64(field, -1, null);
  }

  Zxid zxid(String field) {
    return new Zxid(i64(field, -1, null));
  }

  Zxid zxid(String field, int index, String sub) {
    return new Zxid(i64(field, index, sub));
  }

  boolean bool(String field) {
    int at = offset();
    int v = u8(field);
    if (v > 1) {
      throw fail(field, -1, null, at, "boolean byte " + v + " is not 0 or 1");
    }
    return v == 1;
  }

  byte[] bytes(String field) {
    return bytes(field, -1, null);
  }

  /** A length-prefixed byte array, copied out: the length is checked against the remaining bytes first. */
  byte[] bytes(String field, int index, String sub) {
    int at = offset();
    int length = i32(field, index, sub);
    if (length < 0) {
      throw fail(field, index, sub, at, "negative length " + length);
    }
    if (length > remaining()) {
      throw fail(field, index, sub, at, "length " + length + " exceeds remaining " + remaining() + " bytes");
    }
    byte[] data = new byte[length];
    buf.get(pos, data);
    pos += length;
    return data;
  }

  /**
   * A list count. Each element takes at least {@code minElementBytes}, so a count the remaining bytes cannot
   * hold is refused before a list of that size is allocated.
   */
  int count(String field, int minElementBytes) {
    int at = offset();
    int count = i32(field, -1, null);
    if (count < 0) {
      throw fail(field, -1, null, at, "negative count " + count);
    }
    if (count > remaining() / minElementBytes) {
      throw fail(field, -1, null, at, "count " + count + " needs at least " + (long) count * minElementBytes
          + " bytes but only " + remaining() + " remain");
    }
    return count;
  }

  /**
   * Builds a record, turning a constructor's rejection of a decoded value into a {@link CodecException} for
   * the field that was read at {@code fieldOffset}.
   */
  <T> T construct(String field, int fieldOffset, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CodecException(typeByte, field, fieldOffset, "invalid value: " + e.getMessage(), e);
    }
  }

  /** Fails at the current offset. */
  CodecException fail(String field, String problem) {
    return fail(field, -1, null, offset(), problem);
  }

  CodecException fail(String field, int index, String sub, int at, String problem) {
    String name = field == null ? null : index < 0 ? field : field + "[" + index + "]" + (sub == null ? "" : "." + sub);
    return new CodecException(typeByte, name, at, problem);
  }

  private int i32(String field, int index, String sub) {
    require(field, index, sub, Integer.BYTES);
    int v = buf.getInt(pos);
    pos += Integer.BYTES;
    return v;
  }

  private long i64(String field, int index, String sub) {
    require(field, index, sub, Long.BYTES);
    long v = buf.getLong(pos);
    pos += Long.BYTES;
    return v;
  }

  private void require(String field, int index, String sub, int bytes) {
    if (remaining() < bytes) {
      throw fail(field, index, sub, offset(),
          "truncated: needs " + bytes + " bytes but only " + remaining() + " remain");
    }
  }
}
