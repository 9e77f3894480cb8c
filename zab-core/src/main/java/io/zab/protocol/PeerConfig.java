package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.wire.MessageCodec;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Static configuration of one server's protocol core.
 *
 * @param self this server's id (sid), a voter or an observer of {@code initial}
 * @param initial the configuration this server starts with when its log and snapshot record none (or only the
 *     initial one): every member with its address. A configuration that came through the log replaces it.
 * @param timing timeouts in ticks
 * @param maxTxnBytes the largest payload a submit may carry (larger ones are rejected TOO_LARGE)
 * @param maxOutstanding the most proposed-but-uncommitted txns on the leader (more are rejected OVERLOADED)
 * @param maxBatchTxns the most txns the leader packs in one proposal when coalescing submits
 * @param maxFrameBytes the largest message body the transport carries ({@link MessageCodec#DEFAULT_MAX_FRAME_BYTES}
 *     unless configured otherwise); every message the core emits fits it, so one txn of {@code maxTxnBytes} must
 * @param maxInFlightBytes the flow-control window: proposal bytes the leader sends one member and that it has not
 *     acknowledged yet (past it that member gets no more until it acks; see docs/protocol.md), and the bytes of
 *     forwarded writes a follower sends its leader without a reply yet (more are refused OVERLOADED)
 * @param logRetentionBytes payload bytes of committed txns kept in memory after a snapshot, so that a lagging
 *     follower can still be sent the txns it lacks instead of the snapshot
 */
public record PeerConfig(long self, ClusterConfiguration initial, Timing timing, int maxTxnBytes, int maxOutstanding,
                         int maxBatchTxns, int maxFrameBytes, long maxInFlightBytes, long logRetentionBytes) {

  /** Default of {@link #maxInFlightBytes}: 8 MiB. */
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 8L << 20;
  /** Default of {@link #logRetentionBytes}: 8 MiB. */
  public static final long DEFAULT_LOG_RETENTION_BYTES = 8L << 20;

  public PeerConfig {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(timing, "timing");
    if (self <= 0) {
      throw new IllegalArgumentException("self (server id) must be positive, got " + self);
    }
    if (initial.version() != 0) {
      throw new IllegalArgumentException("the initial configuration has version 0, got " + initial);
    }
    if (!initial.isMember(self)) {
      throw new IllegalArgumentException("self " + self + " is neither a voter nor an observer of " + initial);
    }
    if (maxTxnBytes < 1) {
      throw new IllegalArgumentException("maxTxnBytes must be >= 1, got " + maxTxnBytes);
    }
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException("maxOutstanding must be >= 1, got " + maxOutstanding);
    }
    if (maxBatchTxns < 1) {
      throw new IllegalArgumentException("maxBatchTxns must be >= 1, got " + maxBatchTxns);
    }
    requireTxnFitsFrame(maxTxnBytes, maxFrameBytes);
    if (maxInFlightBytes < 1) {
      throw new IllegalArgumentException("maxInFlightBytes must be >= 1, got " + maxInFlightBytes);
    }
    if (logRetentionBytes < 0) {
      throw new IllegalArgumentException("logRetentionBytes must be >= 0, got " + logRetentionBytes);
    }
  }

  /** Voters without addresses (in-JVM transports, simulators), no observer. */
  public PeerConfig(long self, Set<Long> voters, Timing timing, int maxTxnBytes, int maxOutstanding,
      int maxBatchTxns, int maxFrameBytes, long maxInFlightBytes, long logRetentionBytes) {
    this(self, localVoters(voters), timing, maxTxnBytes, maxOutstanding, maxBatchTxns, maxFrameBytes,
        maxInFlightBytes, logRetentionBytes);
  }

  /** With the default log retention. */
  public PeerConfig(long self, Set<Long> voters, Timing timing, int maxTxnBytes, int maxOutstanding, int maxBatchTxns,
      int maxFrameBytes, long maxInFlightBytes) {
    this(self, voters, timing, maxTxnBytes, maxOutstanding, maxBatchTxns, maxFrameBytes, maxInFlightBytes,
        DEFAULT_LOG_RETENTION_BYTES);
  }

  /** An initial configuration of {@code voters} without addresses ({@link Member#local}). */
  public static ClusterConfiguration localVoters(Set<Long> voters) {
    Objects.requireNonNull(voters, "voters");
    for (long v : voters) {
      if (v <= 0) {
        throw new IllegalArgumentException("voter ids must be positive, got " + v + " in " + voters);
      }
    }
    return ClusterConfiguration.of(new TreeSet<>(voters).stream().map(Member::local).toList());
  }

  /** The ids of the initial configuration's voters, ascending. */
  public Set<Long> voters() {
    return Collections.unmodifiableSet(initial.voterIds());
  }

  /** With the default 16 MiB frame and 8 MiB window. */
  public PeerConfig(long self, Set<Long> voters, Timing timing, int maxTxnBytes, int maxOutstanding, int maxBatchTxns) {
    this(self, voters, timing, maxTxnBytes, maxOutstanding, maxBatchTxns, MessageCodec.DEFAULT_MAX_FRAME_BYTES,
        DEFAULT_MAX_IN_FLIGHT_BYTES);
  }

  /**
   * Refuses a payload limit that a frame cannot carry: a txn of {@code maxTxnBytes} could then be accepted and never
   * sent (the whole ensemble would stall on it).
   *
   * @throws IllegalArgumentException naming both settings
   */
  public static void requireTxnFitsFrame(int maxTxnBytes, int maxFrameBytes) {
    int fits = MessageCodec.maxPayloadBytes(maxFrameBytes);
    if (maxTxnBytes > fits) {
      throw new IllegalArgumentException("maxTxnBytes (" + maxTxnBytes + ") does not fit one frame of maxFrameBytes ("
          + maxFrameBytes + "): a frame carries at most " + fits + " payload bytes (" + (maxFrameBytes - fits)
          + " bytes of encoding); lower maxTxnBytes or raise maxFrameBytes (on the transport too)");
    }
  }

  /** The largest proposal body the core sends: one frame. */
  long maxProposalBytes() {
    return maxFrameBytes;
  }

  /** A config with default timing, 1 MiB payloads, 10,000 outstanding txns and batches of up to 1,000. */
  public static PeerConfig of(long self, Set<Long> voters) {
    return new PeerConfig(self, voters, Timing.defaults(), 1 << 20, 10_000, 1_000);
  }
}
