package io.zab.wire;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.wire.Message.RejectCode;
import java.util.List;
import java.util.function.IntFunction;

/** Decodes the fields of each message type: the inverse of {@link MessageWriter}, layouts in {@link MessageType}. */
final class MessageReader {

  private MessageReader() {}

  /** Reads version and type, then the fields; the caller checks that no bytes are left over. */
  static Message read(BodyReader r) {
    int version = r.u8("version");
    if (version != MessageCodec.VERSION) {
      throw r.fail("version", -1, null, 0, "unsupported version " + version + " (expected " + MessageCodec.VERSION + ")");
    }
    int code = r.u8("type");
    r.typeByte(code);
    MessageType type = MessageType.fromCode(code);
    if (type == null) {
      throw r.fail("type", -1, null, 1, "unknown type byte " + code);
    }
    return fields(r, type);
  }

  private static Message fields(BodyReader r, MessageType type) {
    return switch (type) {
      case NOTIFICATION -> notification(r);
      case FOLLOWER_INFO -> new Message.FollowerInfo(r.i64("acceptedEpoch"), r.zxid("lastZxid"), r.bool("voting"));
      case LEADER_INFO -> new Message.LeaderInfo(r.i64("newEpoch"));
      case ACK_EPOCH -> new Message.AckEpoch(r.i64("currentEpoch"), r.zxid("lastZxid"));
      case DIFF -> new Message.Diff(r.zxid("base"));
      case TRUNC -> new Message.Trunc(r.zxid("truncateTo"));
      case SNAP_CHUNK -> snapChunk(r);
      case NEW_LEADER -> new Message.NewLeader(r.i64("epoch"), r.zxid("lastZxid"));
      case ACK_NEW_LEADER -> new Message.AckNewLeader(r.i64("epoch"));
      case UP_TO_DATE -> new Message.UpToDate(r.zxid("committed"));
      case PROPOSAL -> proposal(r);
      case ACK -> new Message.Ack(r.zxid("zxid"));
      case COMMIT -> new Message.Commit(r.zxid("zxid"));
      case REQUEST -> new Message.Request(r.i64("requestId"), r.bytes("data"));
      case REQUEST_REPLY -> new Message.RequestReply(r.i64("requestId"), r.zxid("zxid"), rejectCode(r, "error"));
      case PING -> new Message.Ping(r.zxid("zxid"));
      case SYNC_REQUEST -> new Message.SyncRequest(r.i64("requestId"));
      case SYNC_REPLY -> new Message.SyncReply(r.i64("requestId"), r.zxid("committed"));
      case CONFIG_REQUEST -> configRequest(r);
      case TRANSFER_REQUEST -> transferRequest(r);
      case HANDOVER -> new Message.Handover(r.i64("target"), r.i64("epoch"), r.zxid("zxid"));
    };
  }

  private static Message notification(BodyReader r) {
    Role state = role(r, "state");
    long leader = r.i64("leader");
    Zxid zxid = r.zxid("zxid");
    long round = r.i64("round");
    long peerEpoch = r.i64("peerEpoch");
    boolean voting = r.bool("voting");
    long configVersion = r.i64("configVersion");
    int membershipAt = r.offset();
    byte[] membership = r.bytes("membership");
    return r.construct("membership", membershipAt, () -> new Message.Notification(state, leader, zxid, round,
        peerEpoch, voting, configVersion, membership.length == 0 ? null : MembershipCodec.decode(membership)));
  }

  private static Message snapChunk(BodyReader r) {
    Zxid snapshotZxid = r.zxid("snapshotZxid");
    int offsetAt = r.offset();
    long offset = r.i64("offset");
    byte[] data = r.bytes("data");
    boolean last = r.bool("last");
    return r.construct("offset", offsetAt, () -> new Message.SnapChunk(snapshotZxid, offset, data, last));
  }

  private static Message transferRequest(BodyReader r) {
    long requestId = r.i64("requestId");
    long target = r.i64("target");
    int ticksAt = r.offset();
    long ticks = r.i64("timeoutTicks");
    if (ticks < 0) {
      throw r.fail("timeoutTicks", -1, null, ticksAt, "negative timeoutTicks " + ticks);
    }
    return new Message.TransferRequest(requestId, target, ticks);
  }

  private static Message configRequest(BodyReader r) {
    long requestId = r.i64("requestId");
    int ticksAt = r.offset();
    long ticks = r.i64("catchUpTicks");
    if (ticks < 0) {
      throw r.fail("catchUpTicks", -1, null, ticksAt, "negative catchUpTicks " + ticks);
    }
    int targetAt = r.offset();
    byte[] target = r.bytes("target");
    return r.construct("target", targetAt, () -> {
      Membership m = MembershipCodec.decode(target);
      if (m.joint()) {
        throw new IllegalArgumentException("a requested configuration cannot be joint");
      }
      return new Message.ConfigRequest(requestId, ticks, m.current());
    });
  }

  private static Message proposal(BodyReader r) {
    int countAt = r.offset();
    Txn[] txns = new Txn[r.count("txns", MessageWriter.MIN_TXN_BYTES)];
    for (int i = 0; i < txns.length; i++) {
      Zxid zxid = r.zxid("txns", i, "zxid");
      txns[i] = new Txn(zxid, txnKind(r, i), r.bytes("txns", i, "data"));
    }
    // List.of copies once; the record's List.copyOf then keeps that immutable list as is.
    return r.construct("txns", countAt, () -> new Message.Proposal(List.of(txns)));
  }

  private static Txn.Kind txnKind(BodyReader r, int i) {
    int at = r.offset();
    int code = r.u8("txns", i, "kind");
    Txn.Kind kind = Txn.Kind.fromCode(code);
    if (kind == null) {
      throw r.fail("txns", i, "kind", at, "unknown txn kind code " + code);
    }
    return kind;
  }

  private static Role role(BodyReader r, String field) {
    return enumCode(r, field, "Role", WireEnums::role);
  }

  private static RejectCode rejectCode(BodyReader r, String field) {
    return enumCode(r, field, "RejectCode", WireEnums::rejectCode);
  }

  /** A one-byte enum code; {@code fromCode} returns null for a code no constant has. */
  private static <E> E enumCode(BodyReader r, String field, String enumName, IntFunction<E> fromCode) {
    int at = r.offset();
    int code = r.u8(field);
    E value = fromCode.apply(code);
    if (value == null) {
      throw r.fail(field, -1, null, at, "unknown " + enumName + " code " + code);
    }
    return value;
  }
}
