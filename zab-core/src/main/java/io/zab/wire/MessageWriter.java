package io.zab.wire;

import io.zab.Zxid;
import io.zab.wire.Message.AckEpoch;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Notification;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.Request;
import io.zab.wire.Message.RequestReply;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Message.SyncReply;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Sizes and writes message bodies straight into a big-endian {@link ByteBuffer}: no intermediate streams.
 * The layout per type is the table in {@link MessageType}; {@link MessageReader} is the inverse.
 */
final class MessageWriter {

  /** version + type. */
  static final int HEADER_BYTES = 2;
  static final int LONG_BYTES = Long.BYTES;
  static final int INT_BYTES = Integer.BYTES;
  /** The smallest encoded txn: zxid + kind + data length with empty data. */
  static final int MIN_TXN_BYTES = LONG_BYTES + 1 + INT_BYTES;

  private MessageWriter() {}

  /** The body size, in a long so that a huge proposal cannot overflow the sum. */
  static long bodySize(Message m, MessageType type) {
    return HEADER_BYTES + fieldsSize(m, type);
  }

  private static long fieldsSize(Message m, MessageType type) {
    return switch (type) {
      case NOTIFICATION -> 1 + 5L * LONG_BYTES + 1 + INT_BYTES + membershipBytes((Notification) m).length;
      case FOLLOWER_INFO -> 2L * LONG_BYTES + 1;
      case ACK_EPOCH, NEW_LEADER, SYNC_REPLY -> 2L * LONG_BYTES;
      case LEADER_INFO, DIFF, TRUNC, ACK_NEW_LEADER, UP_TO_DATE, ACK, COMMIT, PING, SYNC_REQUEST -> LONG_BYTES;
      case SNAP_CHUNK -> 2L * LONG_BYTES + INT_BYTES + ((SnapChunk) m).data().length + 1;
      case PROPOSAL -> proposalSize(((Proposal) m).txns());
      case REQUEST -> LONG_BYTES + INT_BYTES + (long) ((Request) m).data().length;
      case REQUEST_REPLY -> 2L * LONG_BYTES + 1;
      case CONFIG_REQUEST -> 2L * LONG_BYTES + INT_BYTES + targetBytes((Message.ConfigRequest) m).length;
      case TRANSFER_REQUEST, HANDOVER -> 3L * LONG_BYTES;
    };
  }

  private static long proposalSize(List<Txn> txns) {
    return MessageCodec.proposalBytes(txns) - HEADER_BYTES;
  }

  /** Writes the whole body at {@code out.position()}; the caller has checked the room and set big-endian. */
  static void write(Message m, MessageType type, ByteBuffer out) {
    out.put(MessageCodec.VERSION).put((byte) type.code());
    switch (type) {
      case NOTIFICATION -> {
        Notification n = (Notification) m;
        out.put((byte) WireEnums.code(n.state()));
        out.putLong(n.leader()).putLong(n.zxid().value()).putLong(n.round()).putLong(n.peerEpoch());
        out.put((byte) (n.voting() ? 1 : 0));
        out.putLong(n.configVersion());
        putBytes(out, membershipBytes(n));
      }
      case FOLLOWER_INFO -> {
        FollowerInfo fi = (FollowerInfo) m;
        putLongAndZxid(out, fi.acceptedEpoch(), fi.lastZxid());
        out.put((byte) (fi.voting() ? 1 : 0));
      }
      case LEADER_INFO -> out.putLong(((Message.LeaderInfo) m).newEpoch());
      case ACK_EPOCH -> putLongAndZxid(out, ((AckEpoch) m).currentEpoch(), ((AckEpoch) m).lastZxid());
      case DIFF -> putZxid(out, ((Message.Diff) m).base());
      case TRUNC -> putZxid(out, ((Message.Trunc) m).truncateTo());
      case SNAP_CHUNK -> {
        SnapChunk c = (SnapChunk) m;
        putZxid(out, c.snapshotZxid());
        out.putLong(c.offset());
        putBytes(out, c.data());
        out.put((byte) (c.last() ? 1 : 0));
      }
      case NEW_LEADER -> putLongAndZxid(out, ((NewLeader) m).epoch(), ((NewLeader) m).lastZxid());
      case ACK_NEW_LEADER -> out.putLong(((Message.AckNewLeader) m).epoch());
      case UP_TO_DATE -> putZxid(out, ((Message.UpToDate) m).committed());
      case PROPOSAL -> putTxns(out, ((Proposal) m).txns());
      case ACK -> putZxid(out, ((Message.Ack) m).zxid());
      case COMMIT -> putZxid(out, ((Message.Commit) m).zxid());
      case REQUEST -> {
        out.putLong(((Request) m).requestId());
        putBytes(out, ((Request) m).data());
      }
      case REQUEST_REPLY -> {
        RequestReply r = (RequestReply) m;
        putLongAndZxid(out, r.requestId(), r.zxid());
        out.put((byte) WireEnums.code(r.error()));
      }
      case PING -> putZxid(out, ((Message.Ping) m).zxid());
      case SYNC_REQUEST -> out.putLong(((Message.SyncRequest) m).requestId());
      case SYNC_REPLY -> putLongAndZxid(out, ((SyncReply) m).requestId(), ((SyncReply) m).committed());
      case CONFIG_REQUEST -> {
        Message.ConfigRequest c = (Message.ConfigRequest) m;
        out.putLong(c.requestId()).putLong(c.catchUpTicks());
        putBytes(out, targetBytes(c));
      }
      case TRANSFER_REQUEST -> {
        Message.TransferRequest t = (Message.TransferRequest) m;
        out.putLong(t.requestId()).putLong(t.target()).putLong(t.timeoutTicks());
      }
      case HANDOVER -> {
        Message.Handover h = (Message.Handover) m;
        out.putLong(h.target()).putLong(h.epoch());
        putZxid(out, h.zxid());
      }
    }
  }

  /**
   * A notification's membership, empty if none is attached (an encoded membership never is). Encoded twice, for the
   * size and the body, like a CONFIG_REQUEST's target: it is attached only for a peer that is behind.
   */
  private static byte[] membershipBytes(Notification n) {
    return n.membership() == null ? new byte[0] : MembershipCodec.encode(n.membership());
  }

  /** The target of a CONFIG_REQUEST as the bytes of a stable membership (small: encoded twice rather than cached). */
  private static byte[] targetBytes(Message.ConfigRequest c) {
    return MembershipCodec.encode(Membership.stable(c.target()));
  }

  private static void putTxns(ByteBuffer out, List<Txn> txns) {
    out.putInt(txns.size());
    for (int i = 0; i < txns.size(); i++) {
      Txn t = txns.get(i);
      putZxid(out, t.zxid());
      out.put((byte) t.kind().code());
      putBytes(out, t.data());
    }
  }

  private static void putLongAndZxid(ByteBuffer out, long value, Zxid zxid) {
    out.putLong(value).putLong(zxid.value());
  }

  private static void putZxid(ByteBuffer out, Zxid zxid) {
    out.putLong(zxid.value());
  }

  private static void putBytes(ByteBuffer out, byte[] data) {
    out.putInt(data.length).put(data);
  }
}
