package io.zab.examples.codec;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the encodings that {@link BinaryIn} reads. */
public final class BinaryOut {
  private final DataOutputStream out;

  public BinaryOut(OutputStream out) {
    this.out = new DataOutputStream(out);
  }

  public BinaryOut writeByte(int b) throws IOException {
    out.writeByte(b);
    return this;
  }

  public BinaryOut writeBoolean(boolean b) throws IOException {
    out.writeByte(b ? 1 : 0);
    return this;
  }

  public BinaryOut writeInt(int v) throws IOException {
    out.writeInt(v);
    return this;
  }

  public BinaryOut writeLong(long v) throws IOException {
    out.writeLong(v);
    return this;
  }

  public BinaryOut writeString(String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > BinaryIn.MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string of " + bytes.length + " bytes exceeds " + BinaryIn.MAX_STRING_BYTES);
    }
    out.writeInt(bytes.length);
    out.write(bytes);
    return this;
  }

  public BinaryOut writeNullableString(String s) throws IOException {
    writeBoolean(s != null);
    if (s != null) {
      writeString(s);
    }
    return this;
  }

  public void flush() throws IOException {
    out.flush();
  }
}
