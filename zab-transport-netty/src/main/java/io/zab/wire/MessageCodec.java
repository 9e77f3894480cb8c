package io.zab.wire;

import io.zab.Zxid;
import java.nio.ByteBuffer;

// TEMPORARY stand-in until the real codec lands on main (branch codec). Deleted at merge.
// Supports only Ping and Request, enough to exercise the transport.
public final class MessageCodec {
  public static final byte VERSION = 1;
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
  public static final int LENGTH_PREFIX_BYTES = 4;
  private final int maxFrameBytes;

  public MessageCodec(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public int encodedSize(Message m) {
    if (m instanceof Message.Ping) {
      return 2 + 8;
    }
    if (m instanceof Message.Request r) {
      return 2 + 8 + 4 + r.data().length;
    }
    throw new UnsupportedOperationException(m.toString());
  }

  public void encode(Message m, ByteBuffer out) {
    out.put(VERSION);
    if (m instanceof Message.Ping p) {
      out.put((byte) 1).putLong(p.zxid().value());
    } else if (m instanceof Message.Request r) {
      out.put((byte) 2).putLong(r.requestId()).putInt(r.data().length).put(r.data());
    } else {
      throw new UnsupportedOperationException(m.toString());
    }
  }

  public byte[] encode(Message m) {
    ByteBuffer b = ByteBuffer.allocate(encodedSize(m));
    encode(m, b);
    return b.array();
  }

  public byte[] encodeFrame(Message m) {
    ByteBuffer b = ByteBuffer.allocate(4 + encodedSize(m));
    b.putInt(encodedSize(m));
    encode(m, b);
    return b.array();
  }

  public Message decode(ByteBuffer body) {
    try {
      byte v = body.get();
      if (v != VERSION) {
        throw new CodecException("bad version " + v);
      }
      byte t = body.get();
      Message m;
      if (t == 1) {
        m = new Message.Ping(new Zxid(body.getLong()));
      } else if (t == 2) {
        long id = body.getLong();
        int n = body.getInt();
        if (n < 0 || n > body.remaining()) {
          throw new CodecException("bad length " + n);
        }
        byte[] d = new byte[n];
        body.get(d);
        m = new Message.Request(id, d);
      } else {
        throw new CodecException("unknown type " + t);
      }
      if (body.hasRemaining()) {
        throw new CodecException("trailing bytes");
      }
      return m;
    } catch (java.nio.BufferUnderflowException e) {
      throw new CodecException("truncated body");
    }
  }

  public int checkFrameLength(int len) {
    if (len < 2 || len > maxFrameBytes) {
      throw new CodecException("frame length " + len + " out of range [2, " + maxFrameBytes + "]");
    }
    return len;
  }
}
