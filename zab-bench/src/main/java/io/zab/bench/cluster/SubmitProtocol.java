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
  public static final byte OK = 0;
  public static final byte FAILED = 1;
  static final int HEADER = 1 + 8;
  /** Larger requests are refused: the connection is closed with a message naming the size. */
  public static final int MAX_PAYLOAD = 1 << 20;

  /** One decoded request. */
  public record Request(byte type, long requestId, byte[] payload) {}

  /** One decoded response. */
  public record Response(long requestId, byte status, long value) {}

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
    if (type < SUBMIT || type > FSYNC) {
      throw new IOException("unknown request type " + type
          + " (0 SUBMIT, 1 ROLE, 2 EPOCH, 3 CHANGES, 4 APPLIED, 5 SLOWDOWN, 6 FSYNC)");
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
  }

  public static Response readResponse(DataInputStream in) throws IOException {
    return new Response(in.readLong(), in.readByte(), in.readLong());
  }
}
