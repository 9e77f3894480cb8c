package io.zab.runtime;

import io.zab.ZabStatus.SnapshotTransfer;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.ConfigurationCommitted;
import io.zab.protocol.Action.UpdateMembers;
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
import io.zab.wire.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the core's actions, in list order, per the contract in {@link Action}'s javadoc. One thread at a
 * time, under the {@link ProtocolLoop}'s lock: the protocol thread, or one running a batch for it. Any exception it
 * throws is fatal for the node: a durability step that did not happen must never be followed by the message that
 * claims it did.
 *
 * <p>It never waits for the log's fsyncs or for the state machine while the server serves: appends and
 * deliveries are queued (the {@link IntakeGate} bounds those queues at the edge). Only the rare durability
 * steps of discovery and sync wait: an epoch is saved synchronously, and currentEpoch after the log writes
 * before it (ZOOKEEPER-4643).
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
  private final ConfigurationReporter configurations;
  private final Transport transport;
  private final int maxTxnBytes;
  private final AtomicLong logBacklogBytes;
  private final BooleanSupplier stopping;
  private final BiConsumer<String, Throwable> fatal;
  private final SnapshotRetention retention;
  private final NodeInstruments instruments;
  private final RepairJournal repairs;
  private final ElectionReporter elections;
  private final HopTrace hops;
  private CompletableFuture<Zxid> lastLogWrite = CompletableFuture.completedFuture(Zxid.ZERO);

  /**
   * @param logBacklogBytes what this runner has queued for the log and is not yet durable (payload plus
   *     {@link ApplyLoop#TXN_OVERHEAD_BYTES} per txn); it adds, and subtracts once an fsync covers it
   * @param snapshotThread where old snapshots and log segments are retired (the snapshot thread)
   * @param fatal stops the node with an error saying what failed
   */
  ActionRunner(long serverId, Transport transport, LogWriter logWriter, EpochStore epochs, ApplyLoop applyLoop,
      Requests requests, LocalSnapshots snapshots, Zxid initialSnapshot, Executor snapshotThread, RoleReporter roles,
      ConfigurationReporter configurations, int maxTxnBytes, AtomicLong logBacklogBytes, BooleanSupplier stopping,
      BiConsumer<String, Throwable> fatal, NodeInstruments instruments, RepairJournal repairs) {
    this.repairs = repairs;
    this.serverId = serverId;
    this.instruments = instruments;
    this.hops = instruments.hops();
    this.elections = new ElectionReporter(serverId, System::nanoTime, instruments::electionEnded);
    this.logWriter = logWriter;
    this.epochs = epochs;
    this.applyLoop = applyLoop;
    this.requests = requests;
    UnreadableSnapshots unreadable = new UnreadableSnapshots(serverId, snapshots,
        Recovery.quarantineDir(snapshots.store().directory()), applyLoop);
    this.outbound = new Outbound(serverId, transport, snapshots, instruments::snapshotSent, unreadable::replace);
    this.snapshotReceiver = new SnapshotReceiver(snapshots.store());
    this.roles = roles;
    this.configurations = configurations;
    this.transport = transport;
    this.maxTxnBytes = maxTxnBytes;
    this.logBacklogBytes = logBacklogBytes;
    this.stopping = stopping;
    this.fatal = fatal;
    this.retention = new SnapshotRetention(serverId, snapshots, logWriter, initialSnapshot, snapshotThread,
        fatal);
  }

  void run(List<Action> actions) throws IOException {
    for (Action a : actions) {
      instruments.observe(a);
      elections.observe(a);
      if (a instanceof Send s) {
        outbound.send(s.to(), s.message());
        if (hops.enabled() && s.message() instanceof Message.Ack ack) {
          hops.stamp(HopTrace.Hop.ACK_SENT, ack.zxid());
        }
      } else if (a instanceof Append ap) {
        outbound.flushSent(); // what precedes the append (a leader's proposals) goes out first
        lastLogWrite = watch(logWriter.append(ap.txns()), ApplyLoop.bytesOf(ap.txns()));
        if (hops.enabled() && !ap.txns().isEmpty()) {
          hops.stamp(HopTrace.Hop.APPEND, ap.txns().get(ap.txns().size() - 1).zxid());
        }
      } else if (a instanceof Truncate t) {
        lastLogWrite = watch(logWriter.truncateAfter(t.after()), 0);
      } else if (a instanceof SaveAcceptedEpoch e) {
        epochs.setAcceptedEpoch(e.epoch());
      } else if (a instanceof Action.RepairDone done) {
        repairs.done(done.point());
      } else if (a instanceof SaveCurrentEpoch e) {
        // ZOOKEEPER-4643: every txn handed to the log must be durable before the new epoch is.
        await(lastLogWrite, "the log writes before saving currentEpoch " + e.epoch());
        epochs.setCurrentEpoch(e.epoch());
      } else if (a instanceof Deliver d) {
        applyLoop.deliver(d.txns());
        if (hops.enabled() && !d.txns().isEmpty()) {
          hops.stamp(HopTrace.Hop.DELIVER, d.txns().get(d.txns().size() - 1).zxid());
        }
      } else if (a instanceof SendSnapshot s) {
        outbound.sendSnapshot(s.to(), s.snapshotZxid());
      } else if (a instanceof InstallSnapshot i) {
        install(i);
      } else if (a instanceof DiscardSnapshot) {
        snapshotReceiver.discard();
      } else if (a instanceof Complete c) {
        CompletableFuture<?> f = requests.remove(c.requestId());
        hops.pair(c.requestId(), c.zxid());
        if (f != null) {
          applyLoop.completeWhenApplied(c.zxid(), f);
        }
      } else if (a instanceof Reject r) {
        requests.reject(r.requestId(), r.code(), r.leader(), r.detail(), maxTxnBytes);
      } else if (a instanceof RoleChanged r) {
        roles.report(r);
      } else if (a instanceof UpdateMembers u) {
        outbound.flush(); // what was sent to a member about to be dropped goes out first
        transport.updateMembers(u.members());
        instruments.peersChanged(u.members().stream().map(m -> m.id()).filter(m -> m != serverId).toList());
      } else if (a instanceof ConfigurationCommitted c) {
        configurations.committed(c.configuration());
      }
    }
    outbound.flush();
  }

  /**
   * Whether {@code actions}, and what follows them in {@link #batchDone}, neither wait nor touch the disk, so that a
   * thread other than the protocol thread may carry them out (the log writer, {@link ProtocolLoop#tryRunHere}):
   * sends, log appends and deliveries (both queued), completions and rejections; and only while no snapshot streams
   * to a follower (a flush reads it); retiring snapshots only hands work to the snapshot thread. The rest is rare
   * (discovery, sync, configuration changes) and some of it waits for the log writer itself (SaveCurrentEpoch).
   */
  boolean runsAnywhere(List<Action> actions) {
    if (outbound.streaming()) {
      return false;
    }
    for (Action a : actions) {
      if (!(a instanceof Send || a instanceof Append || a instanceof Deliver || a instanceof Complete
          || a instanceof Reject)) {
        return false;
      }
    }
    return true;
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
    hops.batchTaken(batch);
    outbound.beforeBatch(batch);
  }

  /** The snapshots being sent to followers, then the one being received from {@code leader}, if any. */
  List<SnapshotTransfer> snapshotTransfers(long leader) {
    List<SnapshotTransfer> all = new ArrayList<>(outbound.snapshotTransfers());
    snapshotReceiver.transfer(leader).ifPresent(all::add);
    return all;
  }

  /** The protocol thread ends: closes the snapshots still being sent. */
  void close() {
    outbound.close();
  }

  /**
   * S7 SNAP, follower: chunk to disk (the last one fsynced, so the snapshot is durable before the next action).
   * The log reset and the state machine restore are queued, not awaited: the log thread and the apply thread
   * carry them out before anything queued after them (later appends, deliveries), and currentEpoch is saved
   * only once the reset is durable (SaveCurrentEpoch waits for the last log write). A failed restore stops the
   * node.
   */
  private void install(InstallSnapshot i) throws IOException {
    Zxid done = snapshotReceiver.accept(i.chunk());
    if (done == null) {
      return;
    }
    lastLogWrite = watch(logWriter.resetTo(done), 0);
    applyLoop.restore(done).whenComplete((v, e) -> {
      if (e != null) {
        fatal.accept("the state machine could not be restored from the leader's snapshot " + done, e);
      }
    });
    retention.coreKnows(done); // the core now names this one
    log.info("server {}: installed the leader's snapshot at {}", serverId, done);
  }

  /**
   * A write the log refuses as invalid (a txn above this server's maxTxnBytes, a zxid gap) leaves the core
   * believing the log holds what it does not: fatal, like an I/O failure (which the writer reports itself),
   * rather than a follower that silently never acks again.
   */
  private CompletableFuture<Zxid> watch(CompletableFuture<Zxid> write, long bytes) {
    logBacklogBytes.addAndGet(bytes);
    write.whenComplete((z, e) -> {
      logBacklogBytes.addAndGet(-bytes);
      if (e instanceof IllegalArgumentException) {
        fatal.accept("the transaction log refused a write of the protocol (" + e.getMessage() + "); if it names"
            + " maxTxnBytes, every server needs the same maxTxnBytes", e);
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
