package io.zab.examples.kv;

import io.zab.examples.codec.BinaryIn;
import io.zab.examples.codec.BinaryOut;
import io.zab.examples.codec.MalformedDataException;
import io.zab.examples.kv.Command.Acquire;
import io.zab.examples.kv.Command.CancelWait;
import io.zab.examples.kv.Command.CloseSession;
import io.zab.examples.kv.Command.CompareAndSet;
import io.zab.examples.kv.Command.Delete;
import io.zab.examples.kv.Command.OpenSession;
import io.zab.examples.kv.Command.Put;
import io.zab.examples.kv.Command.Release;
import io.zab.examples.kv.Command.Tick;
import io.zab.examples.kv.Command.TouchSessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary txn format: {@code version(1) type(1) fields...}; strings are a 4-byte length and UTF-8
 * bytes. Version 1 (written by earlier builds) also carried the submitting process's {@code originTag(8) seq(8)}
 * after the version, to match outcomes to requests; zab now returns each outcome to its submitter
 * ({@code ZabNode.submitForResult}), so version 2 drops them. Version 1 txns still decode (their tag is ignored),
 * so a log written by an earlier build replays to the same state.
 */
public final class RequestCodec {
  static final byte VERSION = 2;
  /** With an origin tag and sequence number after the version; read, never written. */
  static final byte VERSION_WITH_ORIGIN = 1;
  /** Bound on one heartbeat batch, so a corrupt count cannot allocate without limit. */
  static final int MAX_TOUCH_BATCH = 1 << 16;

  private static final byte PUT = 1;
  private static final byte DELETE = 2;
  private static final byte CAS = 3;
  private static final byte OPEN_SESSION = 4;
  private static final byte TOUCH_SESSIONS = 5;
  private static final byte CLOSE_SESSION = 6;
  private static final byte TICK = 7;
  private static final byte ACQUIRE = 8;
  private static final byte RELEASE = 9;
  private static final byte CANCEL_WAIT = 10;

  private RequestCodec() {}

  public static byte[] encode(Command command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    BinaryOut out = new BinaryOut(bytes);
    try {
      out.writeByte(VERSION);
      writeCommand(out, command);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: in-memory stream", e);
    }
    return bytes.toByteArray();
  }

  private static void writeCommand(BinaryOut out, Command command) throws IOException {
    if (command instanceof Put c) {
      out.writeByte(PUT).writeString(c.key()).writeString(c.value());
    } else if (command instanceof Delete c) {
      out.writeByte(DELETE).writeString(c.key());
    } else if (command instanceof CompareAndSet c) {
      out.writeByte(CAS).writeString(c.key()).writeNullableString(c.expected()).writeString(c.value());
    } else if (command instanceof OpenSession c) {
      out.writeByte(OPEN_SESSION).writeLong(c.timeoutMillis());
    } else if (command instanceof TouchSessions c) {
      out.writeByte(TOUCH_SESSIONS).writeInt(c.sessionIds().size());
      for (long id : c.sessionIds()) {
        out.writeLong(id);
      }
    } else if (command instanceof CloseSession c) {
      out.writeByte(CLOSE_SESSION).writeLong(c.sessionId());
    } else if (command instanceof Tick c) {
      out.writeByte(TICK).writeLong(c.sourceTag()).writeLong(c.clockMillis()).writeLong(c.maxAdvanceMillis());
    } else if (command instanceof Acquire c) {
      out.writeByte(ACQUIRE).writeString(c.lock()).writeLong(c.sessionId()).writeBoolean(c.queue());
    } else if (command instanceof Release c) {
      out.writeByte(RELEASE).writeString(c.lock()).writeLong(c.sessionId());
    } else if (command instanceof CancelWait c) {
      out.writeByte(CANCEL_WAIT).writeString(c.lock()).writeLong(c.sessionId());
    } else {
      throw new IllegalArgumentException("unknown command " + command);
    }
  }

  /**
   * Decodes one txn.
   *
   * @param where names the txn in error messages (e.g. its zxid)
   * @throws MalformedDataException naming the field and offset that do not decode
   */
  public static Command decode(String where, ByteBuffer txn) throws MalformedDataException {
    BinaryIn in = BinaryIn.of(where, txn);
    try {
      byte version = in.readByte("version");
      if (version == VERSION_WITH_ORIGIN) {
        in.readLong("originTag");
        in.readLong("seq");
      } else if (version != VERSION) {
        throw in.malformed("version", 0, "unsupported version " + version + ", expected " + VERSION + " (or "
            + VERSION_WITH_ORIGIN + ")");
      }
      Command command = readCommand(in);
      in.expectEnd();
      return command;
    } catch (MalformedDataException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: in-memory stream", e);
    } catch (IllegalArgumentException e) {
      // A field that decodes but violates a command's invariant (e.g. a negative timeout).
      throw in.malformed("command", in.offset(), e.getMessage());
    }
  }

  private static Command readCommand(BinaryIn in) throws IOException {
    long at = in.offset();
    byte type = in.readByte("type");
    switch (type) {
      case PUT:
        return new Put(in.readString("key"), in.readString("value"));
      case DELETE:
        return new Delete(in.readString("key"));
      case CAS:
        return new CompareAndSet(in.readString("key"), in.readNullableString("expected"), in.readString("value"));
      case OPEN_SESSION:
        return new OpenSession(in.readLong("timeoutMillis"));
      case TOUCH_SESSIONS: {
        int n = in.readCount("sessionIds.count", MAX_TOUCH_BATCH);
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ids.add(in.readLong("sessionIds[" + i + "]"));
        }
        return new TouchSessions(ids);
      }
      case CLOSE_SESSION:
        return new CloseSession(in.readLong("sessionId"));
      case TICK:
        return new Tick(in.readLong("sourceTag"), in.readLong("clockMillis"), in.readLong("maxAdvanceMillis"));
      case ACQUIRE:
        return new Acquire(in.readString("lock"), in.readLong("sessionId"), in.readBoolean("queue"));
      case RELEASE:
        return new Release(in.readString("lock"), in.readLong("sessionId"));
      case CANCEL_WAIT:
        return new CancelWait(in.readString("lock"), in.readLong("sessionId"));
      default:
        throw in.malformed("type", at, "unknown command type " + type);
    }
  }
}
