package io.zab.runtime;

import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.DiscardSnapshot;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.protocol.Action.Truncate;
import io.zab.protocol.Event;
import io.zab.protocol.Event.SnapshotTaken;
import io.zab.storage.EpochStore;
import io.zab.storage.LogWriter;
import io.zab.transport.Transport;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the core's actions, in list order, per the contract in {@link Action}'s javadoc. Protocol thread
 * only. Any exception it throws is fatal for the node: a durability step that did not happen must never be
 * followed by the message that claims it did.
 */
final class ActionRunner {
  private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

  private final long serverId;
  private final LogWriter logWriter;
  private final EpochStore epochs;
  private final ApplyLoop applyLoop;
  private final Requests requests;
  private final Outbound outbound;
  private final SnapshotReceiver snapshotReceiver;
  private final RoleReporter roles;
  private final int maxTxnBytes;
  private final long maxApplyBacklogBytes;
  private long applyStalls;
  private final BooleanSupplier stopping;
  private final Consumer<Throwable> onLogRefused;
  private final SnapshotRetention retention;
  private CompletableFuture<Zxid> lastLogWrite = CompletableFuture.completedFuture(Zxid.ZERO);

  ActionRunner(long serverId, Transport transport, LogWriter logWriter, EpochStore epochs, ApplyLoop applyLoop,
      Requests requests, LocalSnapshots snapshots, Zxid initialSnapshot, RoleReporter roles, int maxTxnBytes,
      long maxApplyBacklogBytes, BooleanSupplier stopping, Consumer<Throwable> onLogRefused) {
    this.serverId = serverId;
    this.logWriter = logWriter;
    this.epochs = epochs;
    this.applyLoop = applyLoop;
    this.requests = requests;
    this.outbound = new Outbound(serverId, transport, snapshots);
    this.snapshotReceiver = new SnapshotReceiver(snapshots.store());
    this.roles = roles;
    this.maxTxnBytes = maxTxnBytes;
    this.maxApplyBacklogBytes = maxApplyBacklogBytes;
    this.stopping = stopping;
    this.onLogRefused = onLogRefused;
    this.retention = new SnapshotRetention(serverId, snapshots, logWriter, initialSnapshot);
  }

  void run(List<Action> actions) throws IOException {
    for (Action a : actions) {
      if (a instanceof Send s) {
        outbound.send(s.to(), s.message());
      } else if (a instanceof Append ap) {
        outbound.flushSent(); // what precedes the append (a leader's proposals) goes out first
        lastLogWrite = watch(logWriter.append(ap.txns()));
      } else if (a instanceof Truncate t) {
        lastLogWrite = watch(logWriter.truncateAfter(t.after()));
      } else if (a instanceof SaveAcceptedEpoch e) {
        epochs.setAcceptedEpoch(e.epoch());
      } else if (a instanceof SaveCurrentEpoch e) {
        // ZOOKEEPER-4643: every txn handed to the log must be durable before the new epoch is.
        await(lastLogWrite, "the log writes before saving currentEpoch " + e.epoch());
        epochs.setCurrentEpoch(e.epoch());
      } else if (a instanceof Deliver d) {
        applyLoop.deliver(d.txns());
        waitForApplyRoom();
      } else if (a instanceof SendSnapshot s) {
        outbound.sendSnapshot(s.to(), s.snapshotZxid());
      } else if (a instanceof InstallSnapshot i) {
        install(i);
      } else if (a instanceof DiscardSnapshot) {
        snapshotReceiver.discard();
      } else if (a instanceof Complete c) {
        CompletableFuture<Zxid> f = requests.remove(c.requestId());
        if (f != null) {
          applyLoop.completeWhenApplied(c.zxid(), f);
        }
      } else if (a instanceof Reject r) {
        requests.reject(r.requestId(), r.code(), r.leader(), maxTxnBytes);
      } else if (a instanceof RoleChanged r) {
        roles.report(r);
      }
    }
    outbound.flush();
  }

  /** How often the protocol thread had to wait for the state machine to catch up (see waitForApplyRoom). */
  long applyStalls() {
    return applyStalls;
  }

  /**
   * Bounds the memory of committed txns waiting for a state machine slower than the ensemble: past
   * maxApplyBacklogBytes the protocol thread waits for it. Nothing is lost (every txn is logged and the core
   * still holds them), but while it waits this server neither acks nor answers pings, so a follower may drop out
   * of the quorum and a leader lose its followers; it then resyncs. The bound is large so only a state machine
   * that is far behind is hit.
   */
  private void waitForApplyRoom() throws IOException {
    if (applyLoop.backlogBytes() <= maxApplyBacklogBytes) {
      return;
    }
    applyStalls++;
    long started = System.nanoTime();
    log.warn("server {}: {} committed txns ({} bytes) wait for the state machine, over maxApplyBacklogBytes={};"
        + " pausing the protocol (no acks or heartbeats) until it catches up", serverId, applyLoop.backlog(),
        applyLoop.backlogBytes(), maxApplyBacklogBytes);
    try {
      while (!applyLoop.awaitBacklogAtMost(maxApplyBacklogBytes, 100)) {
        if (stopping.getAsBoolean()) {
          throw new IOException("server " + serverId + " stopped while waiting for the state machine to catch up");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("server " + serverId + " interrupted while waiting for the state machine", e);
    }
    log.warn("server {}: the state machine caught up after {} ms; protocol resumed", serverId,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * After the actions of a batch ran: the snapshots the batch told the core of, and those it installed, are now
   * what the core names, so older ones can be retired.
   */
  void batchDone(List<Event> batch) {
    for (Event e : batch) {
      if (e instanceof SnapshotTaken t) {
        retention.coreKnows(t.zxid());
      }
    }
    retention.retire();
  }

  /** Events the core must handle before anything else (an abandoned sync); empties the list. */
  List<Event> takeFeedback() {
    return outbound.takeFeedback();
  }

  /** Before the core handles {@code batch}; see {@link Outbound#beforeBatch}. */
  void beforeBatch(List<Event> batch) {
    outbound.beforeBatch(batch);
  }

  /** The protocol thread ends: closes the snapshots still being sent. */
  void close() {
    outbound.close();
  }

  /** S7 SNAP, follower: chunk to disk; on the last, log reset and state machine restore before going on. */
  private void install(InstallSnapshot i) throws IOException {
    Zxid done = snapshotReceiver.accept(i.chunk());
    if (done == null) {
      return;
    }
    lastLogWrite = logWriter.resetTo(done);
    await(lastLogWrite, "the log reset to snapshot " + done);
    await(applyLoop.restore(done), "restoring the state machine from snapshot " + done);
    retention.coreKnows(done); // the core now names this one
    log.info("server {}: installed the leader's snapshot at {}", serverId, done);
  }

  /**
   * A write the log refuses as invalid (a txn above this server's maxTxnBytes, a zxid gap) leaves the core
   * believing the log holds what it does not: fatal, like an I/O failure (which the writer reports itself),
   * rather than a follower that silently never acks again.
   */
  private CompletableFuture<Zxid> watch(CompletableFuture<Zxid> write) {
    write.whenComplete((z, e) -> {
      if (e instanceof IllegalArgumentException) {
        onLogRefused.accept(e);
      }
    });
    return write;
  }

  /** Waits for a durability step; gives up (fatally) if the node is stopping meanwhile. */
  private <T> void await(CompletableFuture<T> step, String what) throws IOException {
    while (true) {
      try {
        step.get(100, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        if (stopping.getAsBoolean()) {
          throw new IOException("server " + serverId + " stopped while waiting for " + what);
        }
      } catch (ExecutionException e) {
        throw new IOException("server " + serverId + ": " + what + " failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("server " + serverId + " interrupted while waiting for " + what, e);
      }
    }
  }
}
