package io.zab.runtime;

import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** The node's {@link ProtocolWork}: its {@link Peer}, whose actions its {@link ActionRunner} carries out. */
final class PeerWork implements ProtocolWork {
  private final Peer peer;
  private final ActionRunner runner;
  private final IntakeGate gate;
  private final Consumer<NodeStatus> publish;

  /** @param gate rechecked after every batch (at least once per tick), to resume paused transport reads */
  PeerWork(Peer peer, ActionRunner runner, IntakeGate gate, Consumer<NodeStatus> publish) {
    this.peer = peer;
    this.runner = runner;
    this.gate = gate;
    this.publish = publish;
  }

  @Override
  public List<Action> handle(List<Event> batch) {
    runner.beforeBatch(batch);
    return peer.handleAll(batch);
  }

  @Override
  public boolean runsAnywhere(List<Action> actions) {
    return runner.runsAnywhere(actions);
  }

  @Override
  public List<Event> carryOut(List<Action> actions) throws IOException {
    runner.run(actions);
    return runner.takeFeedback();
  }

  @Override
  public void batchDone(List<Event> batch) {
    runner.batchDone(batch);
    gate.recheck();
    publish.accept(new NodeStatus(peer.role(), peer.leader(), peer.currentEpoch(), peer.lastZxid(),
        peer.committedZxid(), peer.heldTxns(), peer.heldBytes()));
  }

  @Override
  public void close() {
    runner.close();
  }
}
