package io.zab.testkit;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.testkit.sim.ProtocolNode;
import io.zab.wire.Message;
import java.util.List;

/** Passes everything to the wrapped core and records the election notifications it sends. */
final class RecordingNode implements ProtocolNode {
  interface Recorder {
    void sent(long from, long to, Message m);
  }

  private final ProtocolNode inner;
  private final long self;
  private final Recorder recorder;

  RecordingNode(ProtocolNode inner, long self, Recorder recorder) {
    this.inner = inner;
    this.self = self;
    this.recorder = recorder;
  }

  @Override
  public List<Action> handle(Event event) {
    List<Action> actions = inner.handle(event);
    for (Action a : actions) {
      if (a instanceof Action.Send s && s.message() instanceof Message.Notification) {
        recorder.sent(self, s.to(), s.message());
      }
    }
    return actions;
  }

  @Override
  public Role role() {
    return inner.role();
  }

  @Override
  public long leader() {
    return inner.leader();
  }

  @Override
  public long acceptedEpoch() {
    return inner.acceptedEpoch();
  }

  @Override
  public long currentEpoch() {
    return inner.currentEpoch();
  }

  @Override
  public Zxid lastZxid() {
    return inner.lastZxid();
  }

  @Override
  public Zxid committedZxid() {
    return inner.committedZxid();
  }
}
