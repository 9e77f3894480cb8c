package io.zab.runtime;

import io.zab.ZabThreads;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The protocol thread: the only thread that touches the {@link Peer}. Drains every queued event into one
 * {@link Peer#handleAll} call, carries out the returned actions in order, then publishes the node's status and
 * lets the transport read again if the {@link IntakeGate} is open. It waits only for events.
 */
final class ProtocolLoop {
  private final Peer peer;
  private final EventQueue queue;
  private final ActionRunner runner;
  private final Consumer<NodeStatus> publish;
  private final Consumer<Throwable> onFatal;
  private final IntakeGate gate;
  private final Thread thread;

  /** @param gate rechecked after every batch (at least once per tick), to resume paused transport reads */
  ProtocolLoop(long serverId, Peer peer, EventQueue queue, ActionRunner runner, Consumer<NodeStatus> publish,
      Consumer<Throwable> onFatal, IntakeGate gate) {
    this.peer = peer;
    this.queue = queue;
    this.runner = runner;
    this.gate = gate;
    this.publish = publish;
    this.onFatal = onFatal;
    this.thread = ZabThreads.newThread(serverId, "protocol", this::run);
  }

  void start() {
    thread.start();
  }

  /** Whether the caller is this loop's thread (e.g. a listener called from it). */
  boolean isCurrentThread() {
    return thread == Thread.currentThread();
  }

  /** Stops taking events and waits for the batch in progress to finish. Idempotent. */
  void stop() {
    queue.close();
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    List<Event> batch = new ArrayList<>();
    try {
      while (queue.drainTo(batch, 1_000)) {
        if (batch.isEmpty()) {
          continue;
        }
        runner.beforeBatch(batch);
        runner.run(peer.handleAll(batch));
        for (List<Event> owed = runner.takeFeedback(); !owed.isEmpty(); owed = runner.takeFeedback()) {
          runner.beforeBatch(owed);
          runner.run(peer.handleAll(owed));
        }
        runner.batchDone(batch);
        batch.clear();
        gate.recheck();
        publish.accept(new NodeStatus(peer.role(), peer.leader(), peer.currentEpoch(), peer.lastZxid(),
            peer.committedZxid(), peer.heldTxns(), peer.heldBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      onFatal.accept(e);
    } finally {
      runner.close();
    }
  }
}
