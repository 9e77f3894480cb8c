package io.zab.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The start of every snapshot's content: the membership in force at the snapshot's zxid, which the log before it
 * may no longer hold (docs/protocol.md, membership). The state machine's bytes follow it. It travels with the
 * content when a leader streams a snapshot, so the follower's copy records it too.
 * <pre>
 * header := magic "ZABM" (4 bytes) | u8 version (1) | i32 length | membership ({@link MembershipCodec}), or
 *           nothing when length is 0: membership unknown (a snapshot written before zab recorded it; the server
 *           uses its configured members)
 * </pre>
 *
 * <pre>{@code
 * out.write(SnapshotHeader.encode(membership));
 * stateMachine.snapshot(out);
 * ...
 * Membership m = SnapshotHeader.read(in);   // then stateMachine.restore(in)
 * }</pre>
 */
public final class SnapshotHeader {
  static final int MAGIC = 0x5A41424D; // "ZABM"
  static final int VERSION = 1;
  static final int FIXED_BYTES = 9;
  /** The largest membership a header may carry; anything larger is damage, not a configuration. */
  static final int MAX_MEMBERSHIP_BYTES = 1 << 20;

  private SnapshotHeader() {}

  /**
   * The header of a snapshot taken under {@code m} (null: unknown).
   *
   * @param m the membership in force at the snapshot's zxid, or null if not known
   * @return the header's bytes, to be written before the state machine's
   */
  public static byte[] encode(Membership m) {
    byte[] body = m == null ? new byte[0] : MembershipCodec.encode(m);
    return ByteBuffer.allocate(FIXED_BYTES + body.length).putInt(MAGIC).put((byte) VERSION).putInt(body.length)
        .put(body).array();
  }

  /**
   * Reads exactly the header from {@code in}, leaving it at the state machine's bytes.
   *
   * @param in a snapshot's content, at its start
   * @return the membership, or null when the snapshot does not record it
   * @throws IOException if the stream ends early or the header is not one (the message says what is wrong)
   */
  public static Membership read(InputStream in) throws IOException {
    byte[] fixed = in.readNBytes(FIXED_BYTES);
    if (fixed.length < FIXED_BYTES) {
      throw new EOFException("snapshot ends inside its header (" + fixed.length + " of " + FIXED_BYTES + " bytes)");
    }
    int length = checkFixed(ByteBuffer.wrap(fixed));
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("snapshot ends inside its header's membership (" + body.length + " of " + length
          + " bytes)");
    }
    return decodeBody(body);
  }

  private static int checkFixed(ByteBuffer b) throws IllegalHeaderException {
    if (b.getInt(0) != MAGIC) {
      throw new IllegalHeaderException("not a zab snapshot header (magic 0x" + Integer.toHexString(b.getInt(0)) + ")");
    }
    int version = b.get(4) & 0xFF;
    if (version != VERSION) {
      throw new IllegalHeaderException("unsupported snapshot header version " + version + " (this zab reads "
          + VERSION + ")");
    }
    int length = b.getInt(5);
    if (length < 0 || length > MAX_MEMBERSHIP_BYTES) {
      throw new IllegalHeaderException("snapshot header membership length " + length + " out of range [0, "
          + MAX_MEMBERSHIP_BYTES + "]");
    }
    return length;
  }

  private static Membership decodeBody(byte[] body) throws IllegalHeaderException {
    if (body.length == 0) {
      return null;
    }
    try {
      return MembershipCodec.decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalHeaderException("snapshot header: " + e.getMessage());
    }
  }

  /** A snapshot header that is not one. */
  public static final class IllegalHeaderException extends IOException {
    IllegalHeaderException(String message) {
      super(message);
    }
  }

  /**
   * Reads the header from the first chunks of a snapshot as they arrive (the protocol core sees a snapshot only as
   * chunks, which may split the header anywhere). Not thread-safe.
   */
  public static final class Parser {
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private int length = -1;
    private boolean done;
    private Membership membership;

    /**
     * Takes the next chunk of content; returns true once the whole header arrived (later chunks are ignored).
     *
     * @param chunk the next bytes of the snapshot's content
     * @return true once the whole header arrived
     * @throws IllegalHeaderException if the bytes so far cannot start a header
     */
    public boolean accept(byte[] chunk) throws IllegalHeaderException {
      if (done) {
        return true;
      }
      int need = (length < 0 ? FIXED_BYTES : FIXED_BYTES + length) - seen.size();
      seen.write(chunk, 0, Math.min(need, chunk.length));
      if (length < 0 && seen.size() >= FIXED_BYTES) {
        length = checkFixed(ByteBuffer.wrap(seen.toByteArray()));
        int more = FIXED_BYTES + length - seen.size();
        int from = Math.min(need, chunk.length);
        seen.write(chunk, from, Math.min(more, chunk.length - from));
      }
      if (length >= 0 && seen.size() == FIXED_BYTES + length) {
        byte[] all = seen.toByteArray();
        byte[] body = new byte[length];
        System.arraycopy(all, FIXED_BYTES, body, 0, length);
        membership = decodeBody(body);
        done = true;
      }
      return done;
    }

    /**
     * Whether the whole header arrived.
     *
     * @return true once {@link #membership()} is valid
     */
    public boolean done() {
      return done;
    }

    /**
     * The membership the header names (null: unknown); valid once {@link #done()}.
     *
     * @return the membership, or null when the snapshot does not record it
     */
    public Membership membership() {
      return membership;
    }
  }
}
