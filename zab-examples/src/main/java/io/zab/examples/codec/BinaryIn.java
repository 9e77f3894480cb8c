package io.zab.examples.codec;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the example's binary encodings (txns and snapshots) and tracks the offset, so that every decode
 * error names the input, the field and where it was.
 */
public final class BinaryIn {
  /** Strings longer than this are treated as corruption rather than allocated. */
  public static final int MAX_STRING_BYTES = 1 << 20;

  private final String where;
  private final DataInputStream in;
  private long offset;

  public BinaryIn(String where, InputStream in) {
    this.where = where;
    this.in = new DataInputStream(in);
  }

  public static BinaryIn of(String where, ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return new BinaryIn(where, new java.io.ByteArrayInputStream(bytes));
  }

  public long offset() {
    return offset;
  }

  public byte readByte(String field) throws IOException {
    return fixed(field, 1, in::readByte);
  }

  public boolean readBoolean(String field) throws IOException {
    long at = offset;
    byte b = readByte(field);
    if (b != 0 && b != 1) {
      throw malformed(field, at, "expected 0 or 1, got " + b);
    }
    return b == 1;
  }

  public int readInt(String field) throws IOException {
    return fixed(field, 4, in::readInt);
  }

  public long readLong(String field) throws IOException {
    return fixed(field, 8, in::readLong);
  }

  private interface FixedRead<T> {
    T read() throws IOException;
  }

  /** Reads a fixed-size field, advancing the offset, or names the field if the input ends first. */
  private <T> T fixed(String field, int size, FixedRead<T> read) throws IOException {
    long at = offset;
    try {
      T v = read.read();
      offset += size;
      return v;
    } catch (EOFException e) {
      throw truncated(field, at);
    }
  }

  /** A count of following items, checked against {@code max} so corrupt data cannot force a huge allocation. */
  public int readCount(String field, int max) throws IOException {
    long at = offset;
    int n = readInt(field);
    if (n < 0 || n > max) {
      throw malformed(field, at, "count " + n + " outside [0, " + max + "]");
    }
    return n;
  }

  public String readString(String field) throws IOException {
    long at = offset;
    int length = readInt(field + ".length");
    if (length < 0 || length > MAX_STRING_BYTES) {
      throw malformed(field, at, "length " + length + " outside [0, " + MAX_STRING_BYTES + "]");
    }
    byte[] bytes = new byte[length];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw truncated(field, at);
    }
    offset += length;
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A string that may be absent: a presence flag, then the string. */
  public String readNullableString(String field) throws IOException {
    return readBoolean(field + ".present") ? readString(field) : null;
  }

  /** Fails unless the input is fully consumed: trailing bytes mean a writer/reader mismatch. */
  public void expectEnd() throws IOException {
    if (in.read() != -1) {
      throw malformed("end", offset, "unexpected trailing bytes");
    }
  }

  public MalformedDataException malformed(String field, long at, String problem) {
    return new MalformedDataException(where, field, at, problem);
  }

  private MalformedDataException truncated(String field, long at) {
    return malformed(field, at, "input ends early");
  }
}
