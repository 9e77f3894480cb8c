package io.zab.bench.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The benchmark's minimal client protocol to a {@code ZabBenchServer} (a plain TCP socket; zab itself has
 * no client protocol, it is embedded). Requests are pipelined; responses come back as each request
 * completes, matched by request id.
 *
 * <pre>
 * request : int length (of what follows) | byte type | long requestId | payload (length - 9 bytes)
 * response: long requestId | byte status | long value
 *   SUBMIT  : status OK and value = committed zxid, or status FAILED
 *   ROLE    : status = role (0 LOOKING, 1 FOLLOWING, 2 LEADING), value = leader's server id or -1
 *   EPOCH   : status OK, value = the server's current epoch
 *   CHANGES : status OK, value = role changes the server reported since it started
 *   APPLIED : status OK, value = the last zxid applied to its state machine
 *   SLOWDOWN: payload = int factor; from now on each fsync of the server's log takes factor times as long
 *             (pressure benchmark); status OK, value = the factor
 *   FSYNC   : status OK, value = the mean duration of the log's fsyncs since the last FSYNC, in microseconds
 *             (-1: none)
 *   LOAD    : payload = UTF-8 spec of a closed-loop load to run inside the server's JVM (see InProcessLoad);
 *             status TEXT with its result line once it has run (a line starting with FAILED if it could not)
 *   MEMORY  : status TEXT with the server's memory breakdown (key=value pairs, see MemoryReport)
 * A response with status TEXT is followed by value bytes of UTF-8 text.
 * </pre>
 */
public final class SubmitProtocol {

  public static final byte SUBMIT = 0;
  public static final byte ROLE = 1;
  public static final byte EPOCH = 2;
  public static final byte CHANGES = 3;
  public static final byte APPLIED = 4;
  public static final byte SLOWDOWN = 5;
  public static final byte FSYNC = 6;
  public static final byte LOAD = 7;
  public static final byte MEMORY = 8;
  public static final byte OK = 0;
  public static final byte FAILED = 1;
  /** Distinct from every ROLE status (role codes 0..2). */
  public static final byte TEXT = 84;
  /** Longer text responses are refused by the reader. */
  static final int MAX_TEXT = 1 << 16;
  static final int HEADER = 1 + 8;
  /** Larger requests are refused: the connection is closed with a message naming the size. */
  public static final int MAX_PAYLOAD = 1 << 20;

  /** One decoded request. */
  public record Request(byte type, long requestId, byte[] payload) {}

  /** One decoded response; {@code text} is empty unless the status is {@link #TEXT}. */
  public record Response(long requestId, byte status, long value, String text) {
    public Response(long requestId, byte status, long value) {
      this(requestId, status, value, "");
    }

    /** A TEXT response carrying {@code text}. */
    public static Response text(long requestId, String text) {
      return new Response(requestId, TEXT, text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, text);
    }
  }

  private SubmitProtocol() {}

  public static void writeRequest(DataOutputStream out, byte type, long requestId, byte[] payload)
      throws IOException {
    out.writeInt(HEADER + payload.length);
    out.writeByte(type);
    out.writeLong(requestId);
    out.write(payload);
  }

  public static Request readRequest(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < HEADER || length - HEADER > MAX_PAYLOAD) {
      throw new IOException("bad request length " + length + ": must be in [" + HEADER + ", "
          + (HEADER + MAX_PAYLOAD) + "]");
    }
    byte type = in.readByte();
    if (type < SUBMIT || type > MEMORY) {
      throw new IOException("unknown request type " + type
          + " (0 SUBMIT, 1 ROLE, 2 EPOCH, 3 CHANGES, 4 APPLIED, 5 SLOWDOWN, 6 FSYNC, 7 LOAD, 8 MEMORY)");
    }
    long requestId = in.readLong();
    byte[] payload = new byte[length - HEADER];
    in.readFully(payload);
    return new Request(type, requestId, payload);
  }

  public static void writeResponse(DataOutputStream out, Response response) throws IOException {
    out.writeLong(response.requestId());
    out.writeByte(response.status());
    out.writeLong(response.value());
    if (response.status() == TEXT) {
      out.write(response.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  public static Response readResponse(DataInputStream in) throws IOException {
    long id = in.readLong();
    byte status = in.readByte();
    long value = in.readLong();
    if (status != TEXT) {
      return new Response(id, status, value);
    }
    if (value < 0 || value > MAX_TEXT) {
      throw new IOException("bad text response length " + value + " for request " + id + ": must be in [0, "
          + MAX_TEXT + "]");
    }
    byte[] text = new byte[(int) value];
    in.readFully(text);
    return new Response(id, status, value, new String(text, java.nio.charset.StandardCharsets.UTF_8));
  }
}
