package io.zab.wire;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@link Membership}: the payload of a CONFIG txn and the body of a snapshot's header. Big-endian:
 * <pre>
 * membership := u8 format (1) | u8 joint (0 or 1) | configuration current | [configuration next, if joint]
 * configuration := i64 version | i32 voter count | member* | i32 observer count | member*
 * member := i64 id | i32 host length (0..1024) | host UTF-8 | i32 port (0..65535)
 * </pre>
 * Each member list is in ascending id order.
 * Decoding is strict (unknown format, bad counts, trailing bytes, an invalid configuration all fail with a message
 * naming the problem and the offset), so a payload has exactly one encoding. Thread-safe (stateless).
 */
public final class MembershipCodec {
  /** The format byte written first. */
  public static final int FORMAT = 1;
  static final int MAX_HOST_BYTES = 1024;
  static final int MAX_MEMBERS = 10_000;

  private MembershipCodec() {}

  /**
   * The bytes of {@code m}, in the format above.
   *
   * @param m the membership to encode
   * @return its only encoding
   * @throws IllegalArgumentException if a member's host is longer than 1024 bytes in UTF-8
   */
  public static byte[] encode(Membership m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeByte(FORMAT);
      out.writeByte(m.joint() ? 1 : 0);
      putConfig(out, m.current());
      if (m.joint()) {
        putConfig(out, m.next());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  private static void putConfig(DataOutputStream out, ClusterConfiguration c) throws IOException {
    out.writeLong(c.version());
    out.writeInt(c.voters().size());
    for (Member m : c.voters()) {
      putMember(out, m);
    }
    out.writeInt(c.observers().size());
    for (Member m : c.observers()) {
      putMember(out, m);
    }
  }

  private static void putMember(DataOutputStream out, Member m) throws IOException {
    byte[] host = m.host().getBytes(StandardCharsets.UTF_8);
    if (host.length > MAX_HOST_BYTES) {
      throw new IllegalArgumentException("host of server " + m.id() + " is " + host.length + " bytes, above "
          + MAX_HOST_BYTES);
    }
    out.writeLong(m.id());
    out.writeInt(host.length);
    out.write(host);
    out.writeInt(m.port());
  }

  /**
   * The membership {@code bytes} encode.
   *
   * @param bytes exactly one encoded membership, nothing before or after it
   * @return the membership
   * @throws IllegalArgumentException naming the problem and its offset if {@code bytes} is not exactly one
   *     membership of a known format
   */
  public static Membership decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      int format = in.get() & 0xFF;
      if (format != FORMAT) {
        throw fail(0, "unknown membership format " + format + " (this zab reads format " + FORMAT + ")");
      }
      int joint = in.get() & 0xFF;
      if (joint > 1) {
        throw fail(1, "joint flag " + joint + " is neither 0 nor 1");
      }
      ClusterConfiguration current = config(in);
      ClusterConfiguration next = joint == 1 ? config(in) : null;
      if (in.hasRemaining()) {
        throw fail(in.position(), in.remaining() + " trailing bytes");
      }
      return new Membership(current, next);
    } catch (BufferUnderflowException e) {
      throw fail(bytes.length, "truncated (" + bytes.length + " bytes)");
    }
  }

  private static ClusterConfiguration config(ByteBuffer in) {
    long version = in.getLong();
    List<Member> voters = members(in, "voter");
    List<Member> observers = members(in, "observer");
    int at = in.position();
    try {
      return new ClusterConfiguration(version, voters, observers);
    } catch (IllegalArgumentException e) {
      throw fail(at, e.getMessage());
    }
  }

  private static List<Member> members(ByteBuffer in, String what) {
    int at = in.position();
    int count = in.getInt();
    if (count < 0 || count > MAX_MEMBERS) {
      throw fail(at, what + " count " + count + " out of range [0, " + MAX_MEMBERS + "]");
    }
    List<Member> out = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      int memberAt = in.position();
      long id = in.getLong();
      int len = in.getInt();
      if (len < 0 || len > MAX_HOST_BYTES || len > in.remaining()) {
        throw fail(memberAt + 8, "host length " + len + " of " + what + " " + id + " out of range");
      }
      byte[] host = new byte[len];
      in.get(host);
      int port = in.getInt();
      if (!out.isEmpty() && id <= out.get(out.size() - 1).id()) {
        throw fail(memberAt, what + " ids not in ascending order (" + id + " after " + out.get(out.size() - 1).id()
            + "): a configuration has one encoding");
      }
      try {
        out.add(new Member(id, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(host)).toString(), port));
      } catch (CharacterCodingException | IllegalArgumentException e) {
        throw fail(memberAt, what + " " + id + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static IllegalArgumentException fail(int offset, String problem) {
    return new IllegalArgumentException("bad membership at byte " + offset + ": " + problem);
  }
}
