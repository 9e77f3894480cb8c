package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import io.zab.protocol.PeerConfig;
import io.zab.protocol.PersistentState;
import io.zab.protocol.Timing;
import io.zab.wire.Membership;
import io.zab.wire.MessageCodec;
import java.util.List;

/** Runs the real protocol core ({@link Peer}) in the simulator. */
@SuppressWarnings("exports") // drives the pure protocol core: names its Action/Event/Timing types (see module-info)
public final class PeerProtocol implements ProtocolNode {
  private final Peer peer;

  /**
   * The core's size limits (see {@link PeerConfig}).
   *
   * @param maxTxnBytes largest payload
   * @param maxBatchTxns most txns per proposal
   * @param maxFrameBytes largest message
   * @param maxInFlightBytes flow-control window
   * @param logRetentionBytes txn bytes kept in memory after a snapshot
   */
  public record Limits(int maxTxnBytes, int maxBatchTxns, int maxFrameBytes, long maxInFlightBytes,
      long logRetentionBytes) {
    /**
     * The production defaults: 1 MiB txns, 1,000 per proposal, 16 MiB frames, 8 MiB window, 8 MiB retained.
     *
     * @return the default limits
     */
    public static Limits defaults() {
      return new Limits(1 << 20, 1_000, MessageCodec.DEFAULT_MAX_FRAME_BYTES, PeerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES,
          PeerConfig.DEFAULT_LOG_RETENTION_BYTES);
    }

    /**
     * The most bytes of proposals (or forwarded writes) the core may have in flight on one link.
     *
     * @return the larger of the window and the frame cap
     */
    public long inFlightBound() {
      return Math.max(maxInFlightBytes, maxFrameBytes);
    }
  }

  private PeerProtocol(Peer peer) {
    this.peer = peer;
  }

  /**
   * A factory with the given timing (ticks) and limits.
   *
   * @param timing the core's timeouts, in ticks
   * @param limits the core's size limits
   * @return a factory of real cores
   */
  public static ProtocolFactory factory(Timing timing, Limits limits) {
    return (self, initial, durable) -> create(self, initial, durable, timing, limits);
  }

  /**
   * A factory with the given timing (ticks) and default limits.
   *
   * @param timing the core's timeouts, in ticks
   * @return a factory of real cores
   */
  public static ProtocolFactory factory(Timing timing) {
    return factory(timing, Limits.defaults());
  }

  /**
   * A factory with {@link Timing#defaults()} and the given limits.
   *
   * @param limits the core's size limits
   * @return a factory of real cores
   */
  public static ProtocolFactory factory(Limits limits) {
    return factory(Timing.defaults(), limits);
  }

  /**
   * A factory with {@link Timing#defaults()} and default limits.
   *
   * @return a factory of real cores
   */
  public static ProtocolFactory factory() {
    return factory(Timing.defaults());
  }

  private static ProtocolNode create(long self, ClusterConfiguration initial, DurableState d, Timing timing,
      Limits limits) {
    PeerConfig config = new PeerConfig(self, initial, timing, limits.maxTxnBytes(), 10_000, limits.maxBatchTxns(),
        limits.maxFrameBytes(), limits.maxInFlightBytes(), limits.logRetentionBytes());
    PersistentState state = new PersistentState(d.acceptedEpoch(), d.currentEpoch(), d.snapshotZxid(), d.logAfterSnapshot(),
        d.snapshotMembership(), d.repairing());
    return new PeerProtocol(new Peer(config, state));
  }

  @Override
  public List<Action> handle(Event event) {
    return peer.handle(event);
  }

  @Override
  public List<Action> handleAll(List<Event> events) {
    return peer.handleAll(events);
  }

  @Override
  public Role role() {
    return peer.role();
  }

  @Override
  public long leader() {
    return peer.leader();
  }

  @Override
  public long acceptedEpoch() {
    return peer.acceptedEpoch();
  }

  @Override
  public long currentEpoch() {
    return peer.currentEpoch();
  }

  @Override
  public Zxid lastZxid() {
    return peer.lastZxid();
  }

  @Override
  public Zxid committedZxid() {
    return peer.committedZxid();
  }

  @Override
  public boolean established() {
    return peer.established();
  }

  @Override
  public Membership membership() {
    return peer.membership();
  }

  @Override
  public ClusterConfiguration configuration() {
    return peer.configuration();
  }
}
