package io.zab.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The versioned binary wire format of every {@link Message}.
 *
 * <p>A frame on a stream is a 4-byte big-endian body length followed by the body. A body is
 * {@code [u8 version][u8 type][fields]}: the type codes and the field layout of each type are in
 * {@link MessageType}, with the enum codes. Numbers are big-endian; a zxid is its raw 64-bit value;
 * a boolean is one byte, 0 or 1; a byte array is an i32 length and the bytes; a list is an i32 count and the
 * elements.
 *
 * <p>Decoding is strict and allocation-safe: every length and count is checked against the bytes that remain
 * before anything is allocated, unknown versions, types and enum codes are refused, and so are trailing bytes,
 * so the only encoding a decoder accepts is the one this codec writes. Every failure is a
 * {@link CodecException} naming the type, field and body offset.
 *
 * <pre>{@code
 * MessageCodec codec = new MessageCodec();
 * byte[] frame = codec.encodeFrame(new Message.Ack(Zxid.of(3, 17)));
 * ByteBuffer in = ByteBuffer.wrap(frame);
 * int length = codec.checkFrameLength(in.getInt());
 * Message m = codec.decode(in.slice().limit(length));   // Ack[zxid=0x3:0x11]
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MessageCodec {

  /**
   * The wire format version written first in every body. 2 since txns carry a kind (issue 11: CONFIG txns); 3 since
   * notifications and FollowerInfo say whether their sender votes (issue 14: repairing servers); 4 since
   * notifications carry the sender's configuration version, and its membership for a peer behind it (issue 11:
   * stranded members); bodies of other versions are refused (all servers of an ensemble run the same format).
   */
  public static final byte VERSION = 4;
  /** Default cap on a body, so a corrupt or hostile length prefix cannot make a reader allocate without bound. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
  /** Size of the big-endian body length that precedes each body on a stream. */
  public static final int LENGTH_PREFIX_BYTES = 4;
  /** Body bytes of a PROPOSAL besides its txns: version, type and the txn count. */
  public static final int PROPOSAL_HEADER_BYTES = MessageWriter.HEADER_BYTES + MessageWriter.INT_BYTES;
  /** Body bytes each txn adds to a PROPOSAL besides its payload: its zxid, its kind and the payload length. */
  public static final int PROPOSAL_TXN_OVERHEAD_BYTES = MessageWriter.MIN_TXN_BYTES;
  /** Body bytes of a REQUEST besides its payload: version, type, request id and the payload length. */
  public static final int REQUEST_OVERHEAD_BYTES = MessageWriter.HEADER_BYTES + MessageWriter.LONG_BYTES
      + MessageWriter.INT_BYTES;
  /** Body bytes of a SNAP_CHUNK besides its data: version, type, zxid, offset, data length, last flag. */
  public static final int SNAP_CHUNK_OVERHEAD_BYTES = MessageWriter.HEADER_BYTES + 2 * MessageWriter.LONG_BYTES
      + MessageWriter.INT_BYTES + 1;

  private final int maxFrameBytes;

  /** A codec with the {@link #DEFAULT_MAX_FRAME_BYTES default} body cap. */
  public MessageCodec() {
    this(DEFAULT_MAX_FRAME_BYTES);
  }

  /**
   * A codec with another body cap.
   *
   * @param maxFrameBytes the largest body this codec encodes or decodes, without the length prefix
   * @throws IllegalArgumentException if smaller than the 2-byte header or so big a frame overflows an int
   */
  public MessageCodec(int maxFrameBytes) {
    if (maxFrameBytes < MessageWriter.HEADER_BYTES || maxFrameBytes > Integer.MAX_VALUE - LENGTH_PREFIX_BYTES) {
      throw new IllegalArgumentException("max frame bytes out of range [" + MessageWriter.HEADER_BYTES + ", "
          + (Integer.MAX_VALUE - LENGTH_PREFIX_BYTES) + "]: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * The largest txn payload that a body of {@code maxFrameBytes} can carry in every message that carries one: a
   * PROPOSAL of that one txn, and a REQUEST forwarding it.
   *
   * @param maxFrameBytes the largest body
   * @return the largest payload
   */
  public static int maxPayloadBytes(int maxFrameBytes) {
    return maxFrameBytes - Math.max(PROPOSAL_HEADER_BYTES + PROPOSAL_TXN_OVERHEAD_BYTES, REQUEST_OVERHEAD_BYTES);
  }

  /**
   * The body size of a PROPOSAL carrying {@code txns} (without the length prefix).
   *
   * @param txns the proposal's txns
   * @return the body size in bytes
   */
  public static long proposalBytes(java.util.List<Txn> txns) {
    long size = PROPOSAL_HEADER_BYTES;
    for (int i = 0; i < txns.size(); i++) {
      size += PROPOSAL_TXN_OVERHEAD_BYTES + txns.get(i).data().length;
    }
    return size;
  }

  /**
   * The largest body, without the length prefix, this codec encodes or decodes.
   *
   * @return the largest body in bytes
   */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * The body size of {@code m}: version and type bytes plus fields, without the length prefix.
   *
   * @param m a message
   * @return its body size in bytes
   * @throws CodecException if the body would exceed the max frame size
   */
  public int encodedSize(Message m) {
    MessageType type = MessageType.of(m);
    long size = MessageWriter.bodySize(m, type);
    if (size > maxFrameBytes) {
      throw new CodecException(type.code(), null, 0,
          "encoded body of " + size + " bytes exceeds the max frame of " + maxFrameBytes + " bytes");
    }
    return (int) size;
  }

  /**
   * Writes the body of {@code m} at {@code out.position()} and advances the position past it. The buffer's
   * byte order is left as it was.
   *
   * @param m a message
   * @param out where its body goes
   * @throws CodecException if the body would exceed the max frame size (nothing is written)
   * @throws BufferOverflowException if {@code out} has less room than {@link #encodedSize} (nothing is written)
   */
  public void encode(Message m, ByteBuffer out) {
    int size = encodedSize(m);
    if (out.remaining() < size) {
      throw new BufferOverflowException();
    }
    ByteOrder order = out.order();
    out.order(ByteOrder.BIG_ENDIAN);
    try {
      MessageWriter.write(m, MessageType.of(m), out);
    } finally {
      out.order(order);
    }
  }

  /**
   * The body of {@code m} as a new array.
   *
   * @param m a message
   * @return its body
   * @throws CodecException if the body would exceed the max frame size
   */
  public byte[] encode(Message m) {
    byte[] body = new byte[encodedSize(m)];
    encode(m, ByteBuffer.wrap(body));
    return body;
  }

  /**
   * A whole frame: the 4-byte big-endian body length, then the body.
   *
   * @param m a message
   * @return the length prefix and the body
   * @throws CodecException if the body would exceed the max frame size
   */
  public byte[] encodeFrame(Message m) {
    int size = encodedSize(m);
    byte[] frame = new byte[LENGTH_PREFIX_BYTES + size];
    ByteBuffer out = ByteBuffer.wrap(frame).putInt(size);
    MessageWriter.write(m, MessageType.of(m), out);
    return frame;
  }

  /**
   * Decodes exactly one body: the bytes from {@code body.position()} to {@code body.limit()}. On success the
   * position moves to the limit; on failure it is unchanged. The byte order is left as it was. Byte-array
   * fields are copied out, so the buffer may be reused afterwards.
   *
   * @param body one whole body
   * @return the message
   * @throws CodecException if the body is larger than the max frame, has a wrong version, an unknown type or
   *     enum code, a bad boolean, a length or count the body cannot hold, a value a record refuses (such as an
   *     empty proposal), is truncated, or has trailing bytes
   */
  public Message decode(ByteBuffer body) throws CodecException {
    if (body.remaining() > maxFrameBytes) {
      throw new CodecException(-1, null, 0,
          "body of " + body.remaining() + " bytes exceeds the max frame of " + maxFrameBytes + " bytes");
    }
    ByteOrder order = body.order();
    body.order(ByteOrder.BIG_ENDIAN);
    try {
      BodyReader reader = new BodyReader(body);
      Message m = MessageReader.read(reader);
      if (reader.remaining() > 0) {
        throw reader.fail(null, reader.remaining() + " trailing bytes after the last field");
      }
      body.position(body.limit());
      return m;
    } finally {
      body.order(order);
    }
  }

  /**
   * Checks a body length read from a stream before anything is allocated for the body.
   *
   * @param lengthPrefix the length read
   * @return {@code lengthPrefix}
   * @throws CodecException if it is below the 2-byte header or above the max frame size; its offset is
   *     {@code -LENGTH_PREFIX_BYTES}, where the prefix starts relative to the body
   */
  public int checkFrameLength(int lengthPrefix) throws CodecException {
    if (lengthPrefix < MessageWriter.HEADER_BYTES) {
      throw new CodecException(-1, "length prefix", -LENGTH_PREFIX_BYTES,
          "length " + lengthPrefix + " is below the " + MessageWriter.HEADER_BYTES + "-byte header");
    }
    if (lengthPrefix > maxFrameBytes) {
      throw new CodecException(-1, "length prefix", -LENGTH_PREFIX_BYTES,
          "length " + lengthPrefix + " exceeds the max frame of " + maxFrameBytes + " bytes");
    }
    return lengthPrefix;
  }
}
