package io.zab.testkit.sim;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import io.zab.protocol.PeerConfig;
import io.zab.protocol.PersistentState;
import io.zab.protocol.Timing;
import java.util.List;
import java.util.Set;

/** Runs the real protocol core ({@link Peer}) in the simulator. */
public final class PeerProtocol implements ProtocolNode {
  private final Peer peer;

  private PeerProtocol(Peer peer) {
    this.peer = peer;
  }

  /** A factory with the given timing (ticks) and default limits. */
  public static ProtocolFactory factory(Timing timing) {
    return (self, voters, durable) -> create(self, voters, durable, timing);
  }

  /** A factory with {@link Timing#defaults()}. */
  public static ProtocolFactory factory() {
    return factory(Timing.defaults());
  }

  private static ProtocolNode create(long self, Set<Long> voters, DurableState d, Timing timing) {
    PeerConfig config = new PeerConfig(self, voters, timing, 1 << 20, 10_000, 1_000);
    PersistentState state = new PersistentState(d.acceptedEpoch(), d.currentEpoch(), d.snapshotZxid(), d.logAfterSnapshot());
    return new PeerProtocol(new Peer(config, state));
  }

  @Override
  public List<Action> handle(Event event) {
    return peer.handle(event);
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
}
