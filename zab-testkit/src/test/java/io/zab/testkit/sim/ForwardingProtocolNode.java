package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.wire.Membership;
import java.util.List;

/** A core that forwards everything to the real one: tests override what they break. */
abstract class ForwardingProtocolNode implements ProtocolNode {
  protected final ProtocolNode core;

  ForwardingProtocolNode(ProtocolNode core) {
    this.core = core;
  }

  @Override
  public List<Action> handle(Event event) {
    return core.handle(event);
  }

  @Override
  public List<Action> handleAll(List<Event> events) {
    return core.handleAll(events);
  }

  @Override
  public Role role() {
    return core.role();
  }

  @Override
  public long leader() {
    return core.leader();
  }

  @Override
  public long acceptedEpoch() {
    return core.acceptedEpoch();
  }

  @Override
  public long currentEpoch() {
    return core.currentEpoch();
  }

  @Override
  public Zxid lastZxid() {
    return core.lastZxid();
  }

  @Override
  public Zxid committedZxid() {
    return core.committedZxid();
  }

  @Override
  public boolean established() {
    return core.established();
  }

  @Override
  public Membership membership() {
    return core.membership();
  }

  @Override
  public ClusterConfiguration configuration() {
    return core.configuration();
  }
}
