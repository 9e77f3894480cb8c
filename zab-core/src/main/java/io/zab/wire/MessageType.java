package io.zab.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * The type byte of every {@link Message} record on the wire. Codes are frozen: never renumber or reuse one;
 * a new record gets a new code (and old peers reject it as an unknown type).
 *
 * <pre>{@code
 * MessageType t = MessageType.of(message);       // e.g. PROPOSAL
 * MessageType same = MessageType.fromCode(t.code());
 * }</pre>
 *
 * <table>
 *   <caption>Type codes and body fields (after the version and type bytes; all big-endian)</caption>
 *   <tr><th>code</th><th>type</th><th>fields</th></tr>
 *   <tr><td>1</td><td>NOTIFICATION</td><td>state u8, leader i64, zxid u64, round i64, peerEpoch i64, voting bool,
 *     configVersion u64, membership bytes (empty: none; else a {@link MembershipCodec} membership)</td></tr>
 *   <tr><td>2</td><td>FOLLOWER_INFO</td><td>acceptedEpoch i64, lastZxid u64, voting bool</td></tr>
 *   <tr><td>3</td><td>LEADER_INFO</td><td>newEpoch i64</td></tr>
 *   <tr><td>4</td><td>ACK_EPOCH</td><td>currentEpoch i64, lastZxid u64</td></tr>
 *   <tr><td>5</td><td>DIFF</td><td>base u64</td></tr>
 *   <tr><td>6</td><td>TRUNC</td><td>truncateTo u64</td></tr>
 *   <tr><td>7</td><td>SNAP_CHUNK</td><td>snapshotZxid u64, offset i64 (&ge; 0), data bytes, last bool</td></tr>
 *   <tr><td>8</td><td>NEW_LEADER</td><td>epoch i64, lastZxid u64</td></tr>
 *   <tr><td>9</td><td>ACK_NEW_LEADER</td><td>epoch i64</td></tr>
 *   <tr><td>10</td><td>UP_TO_DATE</td><td>committed u64</td></tr>
 *   <tr><td>11</td><td>PROPOSAL</td><td>txns count i32 (&ge; 1), then per txn: zxid u64, kind u8, data bytes</td></tr>
 *   <tr><td>12</td><td>ACK</td><td>zxid u64</td></tr>
 *   <tr><td>13</td><td>COMMIT</td><td>zxid u64</td></tr>
 *   <tr><td>14</td><td>REQUEST</td><td>requestId i64, data bytes</td></tr>
 *   <tr><td>15</td><td>REQUEST_REPLY</td><td>requestId i64, zxid u64, error u8</td></tr>
 *   <tr><td>16</td><td>PING</td><td>zxid u64</td></tr>
 *   <tr><td>17</td><td>SYNC_REQUEST</td><td>requestId i64</td></tr>
 *   <tr><td>18</td><td>SYNC_REPLY</td><td>requestId i64, committed u64</td></tr>
 *   <tr><td>19</td><td>CONFIG_REQUEST</td><td>requestId i64, catchUpTicks i64 (&ge; 0), target bytes (a stable
 *       membership, {@link MembershipCodec})</td></tr>
 *   <tr><td>20</td><td>TRANSFER_REQUEST</td><td>requestId i64, target i64, timeoutTicks i64 (&ge; 0)</td></tr>
 *   <tr><td>21</td><td>HANDOVER</td><td>target i64, epoch i64, zxid u64</td></tr>
 * </table>
 *
 * <p>{@code bytes} is an i32 length followed by that many bytes; {@code bool} is one byte, 0 or 1; a zxid is
 * its raw 64-bit value. Enum codes are one byte and frozen too: Txn kind 0 APPLICATION, 1 CONFIG;
 * Role 0 LOOKING, 1 FOLLOWING, 2 LEADING, 3 OBSERVING;
 * RejectCode 0 NONE, 1 NOT_LEADER, 2 NO_QUORUM, 3 OVERLOADED, 4 TOO_LARGE, 5 CLOSED, 6 OUTCOME_UNKNOWN.
 */
public enum MessageType {
  /** {@link Message.Notification}. */
  NOTIFICATION(1, Message.Notification.class),
  /** {@link Message.FollowerInfo}. */
  FOLLOWER_INFO(2, Message.FollowerInfo.class),
  /** {@link Message.LeaderInfo}. */
  LEADER_INFO(3, Message.LeaderInfo.class),
  /** {@link Message.AckEpoch}. */
  ACK_EPOCH(4, Message.AckEpoch.class),
  /** {@link Message.Diff}. */
  DIFF(5, Message.Diff.class),
  /** {@link Message.Trunc}. */
  TRUNC(6, Message.Trunc.class),
  /** {@link Message.SnapChunk}. */
  SNAP_CHUNK(7, Message.SnapChunk.class),
  /** {@link Message.NewLeader}. */
  NEW_LEADER(8, Message.NewLeader.class),
  /** {@link Message.AckNewLeader}. */
  ACK_NEW_LEADER(9, Message.AckNewLeader.class),
  /** {@link Message.UpToDate}. */
  UP_TO_DATE(10, Message.UpToDate.class),
  /** {@link Message.Proposal}. */
  PROPOSAL(11, Message.Proposal.class),
  /** {@link Message.Ack}. */
  ACK(12, Message.Ack.class),
  /** {@link Message.Commit}. */
  COMMIT(13, Message.Commit.class),
  /** {@link Message.Request}. */
  REQUEST(14, Message.Request.class),
  /** {@link Message.RequestReply}. */
  REQUEST_REPLY(15, Message.RequestReply.class),
  /** {@link Message.Ping}. */
  PING(16, Message.Ping.class),
  /** {@link Message.SyncRequest}. */
  SYNC_REQUEST(17, Message.SyncRequest.class),
  /** {@link Message.SyncReply}. */
  SYNC_REPLY(18, Message.SyncReply.class),
  /** {@link Message.ConfigRequest}. */
  CONFIG_REQUEST(19, Message.ConfigRequest.class),
  /** {@link Message.TransferRequest}. */
  TRANSFER_REQUEST(20, Message.TransferRequest.class),
  /** {@link Message.Handover}. */
  HANDOVER(21, Message.Handover.class);

  private static final MessageType[] BY_CODE = new MessageType[256];
  private static final Map<Class<?>, MessageType> BY_CLASS;

  static {
    Map<Class<?>, MessageType> byClass = new HashMap<>();
    for (MessageType t : values()) {
      BY_CODE[t.code] = t;
      byClass.put(t.recordClass, t);
    }
    BY_CLASS = Map.copyOf(byClass);
  }

  private final int code;
  private final Class<? extends Message> recordClass;

  MessageType(int code, Class<? extends Message> recordClass) {
    this.code = code;
    this.recordClass = recordClass;
  }

  /**
   * The type byte.
   *
   * @return 1-255
   */
  public int code() {
    return code;
  }

  /**
   * The {@link Message} record this type carries.
   *
   * @return the record class
   */
  public Class<? extends Message> recordClass() {
    return recordClass;
  }

  /**
   * The type of a message.
   *
   * @param m a message
   * @return its type (never null: every permitted record has a type)
   */
  public static MessageType of(Message m) {
    return BY_CLASS.get(m.getClass());
  }

  /**
   * The type with this code.
   *
   * @param code 0-255
   * @return the type, or null if none has this code
   */
  public static MessageType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
