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
  private final Transport transport;
  private final LogWriter logWriter;
  private final EpochStore epochs;
  private final ApplyLoop applyLoop;
  private final Requests requests;
  private final SnapshotSender snapshotSender;
  private final SnapshotReceiver snapshotReceiver;
  private final RoleReporter roles;
  private final int maxTxnBytes;
  private final BooleanSupplier stopping;
  private CompletableFuture<Zxid> lastLogWrite = CompletableFuture.completedFuture(Zxid.ZERO);

  ActionRunner(long serverId, Transport transport, LogWriter logWriter, EpochStore epochs, ApplyLoop applyLoop,
      Requests requests, LocalSnapshots snapshots, RoleReporter roles, int maxTxnBytes, BooleanSupplier stopping) {
    this.serverId = serverId;
    this.transport = transport;
    this.logWriter = logWriter;
    this.epochs = epochs;
    this.applyLoop = applyLoop;
    this.requests = requests;
    this.snapshotSender = new SnapshotSender(snapshots, transport);
    this.snapshotReceiver = new SnapshotReceiver(snapshots.store());
    this.roles = roles;
    this.maxTxnBytes = maxTxnBytes;
    this.stopping = stopping;
  }

  void run(List<Action> actions) throws IOException {
    boolean sent = false;
    for (Action a : actions) {
      if (a instanceof Send s) {
        boolean queued = transport.send(s.to(), s.message());
        if (log.isDebugEnabled()) {
          log.debug("server {} -> {}: {}{}", serverId, s.to(), s.message(), queued ? "" : " (dropped: not connected)");
        }
        sent = true;
      } else if (a instanceof Append ap) {
        lastLogWrite = logWriter.append(ap.txns());
      } else if (a instanceof Truncate t) {
        lastLogWrite = logWriter.truncateAfter(t.after());
      } else if (a instanceof SaveAcceptedEpoch e) {
        epochs.setAcceptedEpoch(e.epoch());
      } else if (a instanceof SaveCurrentEpoch e) {
        // ZOOKEEPER-4643: every txn handed to the log must be durable before the new epoch is.
        await(lastLogWrite, "the log writes before saving currentEpoch " + e.epoch());
        epochs.setCurrentEpoch(e.epoch());
      } else if (a instanceof Deliver d) {
        applyLoop.deliver(d.txns());
      } else if (a instanceof SendSnapshot s) {
        if (!snapshotSender.send(s.to(), s.snapshotZxid())) {
          log.debug("server {}: snapshot {} to server {} interrupted by a disconnect", serverId, s.snapshotZxid(), s.to());
        }
        sent = true;
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
    if (sent) {
      transport.flush();
    }
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
    log.info("server {}: installed the leader's snapshot at {}", serverId, done);
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
