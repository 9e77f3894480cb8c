package io.zab.wire;

/**
 * A message body or frame that cannot be encoded or decoded: it says which message type, which field and
 * which byte offset of the body was wrong, so a bad peer or a corrupt stream can be diagnosed from one log line.
 *
 * <pre>{@code
 * try {
 *   inbound.received(peer, codec.decode(body));
 * } catch (CodecException e) {
 *   log.warn("closing the connection of server {}: {}", peer, e.getMessage());   // names type, field, offset
 *   connection.close();
 * }
 * }</pre>
 *
 * <p>Unchecked on purpose: transport handlers and fuzzers catch exactly this one type, and a decode error
 * closes the offending connection without taking the I/O thread down (LESSONS.md, ZOOKEEPER-3769).
 */
public final class CodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The message type byte (0-255), or -1. */
  private final int typeByte;
  /** The field at fault, or null. */
  private final String field;
  /** Byte offset within the body. */
  private final int offset;

  /**
   * An error at one field or offset of a body.
   *
   * @param typeByte the message type byte (0-255), or -1 if it was not read yet
   * @param field the field being read or written, or null if the problem is not about one field
   * @param offset byte offset within the body where the problem was found (negative for the length prefix,
   *     which sits {@link MessageCodec#LENGTH_PREFIX_BYTES} bytes before the body)
   * @param problem what is wrong, without type, field or offset
   */
  public CodecException(int typeByte, String field, int offset, String problem) {
    this(typeByte, field, offset, problem, null);
  }

  /**
   * As {@link #CodecException(int, String, int, String)}, caused by {@code cause} (a record's refusal of a value).
   *
   * @param typeByte the message type byte (0-255), or -1 if it was not read yet
   * @param field the field being read or written, or null
   * @param offset byte offset within the body where the problem was found
   * @param problem what is wrong
   * @param cause the refusal that caused it
   */
  public CodecException(int typeByte, String field, int offset, String problem, Throwable cause) {
    super(describe(typeByte, field, offset, problem), cause);
    this.typeByte = typeByte;
    this.field = field;
    this.offset = offset;
  }

  /**
   * The message type byte (0-255), or -1 if the type was not known yet.
   *
   * @return the type byte, or -1
   */
  public int typeByte() {
    return typeByte;
  }

  /**
   * The field at fault, e.g. {@code txns[3].data}, or null when no single field is.
   *
   * @return the field, or null
   */
  public String field() {
    return field;
  }

  /**
   * Byte offset within the body where the problem was found.
   *
   * @return the offset; negative for the length prefix
   */
  public int offset() {
    return offset;
  }

  private static String describe(int typeByte, String field, int offset, String problem) {
    StringBuilder sb = new StringBuilder("bad ").append(typeName(typeByte)).append(" frame: ");
    if (field != null) {
      sb.append("field ").append(field).append(' ');
    }
    return sb.append(problem).append(" at offset ").append(offset).toString();
  }

  private static String typeName(int typeByte) {
    if (typeByte < 0) {
      return "(type not read)";
    }
    MessageType type = MessageType.fromCode(typeByte);
    return type != null ? type.name() : String.format("(unknown type 0x%02x)", typeByte);
  }
}
