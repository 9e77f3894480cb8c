package io.zab.runtime;

import io.zab.ClosedException;
import io.zab.FileSyncer;
import io.zab.Member;
import io.zab.Zxid;
import io.zab.fixtures.RecordingStateMachine;
import io.zab.protocol.Action;
import io.zab.storage.EpochStore;
import io.zab.storage.LogWriter;
import io.zab.storage.SnapshotStore;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
import io.zab.transport.LocalNetwork;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** One server's {@link ActionRunner} on real storage under {@code dir}, with a disk whose fsyncs can hang. */
final class ActionRunnerFixture implements AutoCloseable {
  final GatedSyncer disk = new GatedSyncer();
  final RecordingStateMachine sm = new RecordingStateMachine();
  /** Every durable zxid the log writer reported, in order. */
  final List<Zxid> durable = new CopyOnWriteArrayList<>();
  /** Every append or truncate the log refused, as reported to the runner. */
  final List<Throwable> refused = new CopyOnWriteArrayList<>();
  final EpochStore epochs;
  final SnapshotStore snapshots;
  final LogWriter logWriter;
  final ApplyLoop applyLoop;
  final LocalNetwork network;
  final Transport transport;
  final ActionRunner runner;
  /** An inbound for a transport whose received messages and connection changes a test does not look at. */
  static final Transport.Inbound IGNORE = new Transport.Inbound() {
    @Override
    public void received(long from, Message m) {}

    @Override
    public void connected(long peer) {}

    @Override
    public void disconnected(long peer) {}
  };
  private final List<Transport> followers = new CopyOnWriteArrayList<>();
  /** Holds the first apply until released (see {@link #ActionRunnerFixture(Path, long)}). */
  final HeldStateMachine held = new HeldStateMachine(sm);
  /** What the runner's "node is stopping" check returns. */
  final AtomicBoolean stopping = new AtomicBoolean();
  /** Where futures complete: a thread of the fixture, as in a node. */
  final Callbacks callbacks = new Callbacks(1, null);
  /** What the runner has queued for the log and is not yet durable. */
  final AtomicLong logBacklogBytes = new AtomicLong();
  final SnapshotTaker taker;

  ActionRunnerFixture(Path dir) throws IOException {
    this(dir, LocalNetwork.create());
    held.release();
  }

  /** On {@code network}, with a state machine whose first apply waits for {@link #held}. */
  ActionRunnerFixture(Path dir, LocalNetwork network) throws IOException {
    this.network = network;
    held.holdNextApply();
    epochs = EpochStore.open(dir.resolve("epochs"), 0, 0);
    snapshots = SnapshotStore.open(dir.resolve("snapshots"));
    TxnLog log = TxnLog.open(dir.resolve("log"), TxnLogOptions.defaults().withSyncer(disk));
    logWriter = new LogWriter(log, 64, durable::add, e -> {});
    LocalSnapshots local = new LocalSnapshots(snapshots);
    taker = new SnapshotTaker(1, local, dir.resolve("snapshots"), z -> {}, (what, e) -> {}, System::nanoTime);
    applyLoop = new ApplyLoop(1, held, Zxid.ZERO, 1_000, local, taker, e -> {}, callbacks);
    applyLoop.start();
    transport = network.transport(1, List.of(Member.local(1), Member.local(2)));
    RoleReporter roles = new RoleReporter(1, callbacks);
    runner = new ActionRunner(1, transport, logWriter, epochs, applyLoop, new Requests(100, callbacks), local,
        Zxid.ZERO, taker::runBetweenWrites, roles, new ConfigurationReporter(1,
            io.zab.ClusterConfiguration.of(List.of(Member.local(1), Member.local(2))), callbacks, roles), 1 << 20,
        logBacklogBytes, stopping::get, (what, e) -> refused.add(e), NodeInstruments.none(), new RepairJournal(1, dir, FileSyncer.SYSTEM));
  }

  /**
   * Starts this server's transport and a follower (server 2) whose inbound waits for {@code inboundGate} and
   * then puts every message it receives into the returned queue; returns once they are connected.
   */
  BlockingQueue<Message> connectFollower(CountDownLatch inboundGate) throws Exception {
    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    CompletableFuture<Void> connected = new CompletableFuture<>();
    Transport follower = network.transport(2, List.of(Member.local(1), Member.local(2)));
    followers.add(follower);
    follower.start(new Transport.Inbound() {
      @Override
      public void received(long from, Message m) {
        try {
          inboundGate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        received.add(m);
      }

      @Override
      public void connected(long peer) {
        connected.complete(null);
      }

      @Override
      public void disconnected(long peer) {}
    });
    transport.start(IGNORE);
    connected.get(5, TimeUnit.SECONDS);
    return received;
  }

  /** Runs {@code actions} on another thread (they may wait for a hanging fsync). */
  CompletableFuture<Void> runAsync(List<Action> actions) {
    return CompletableFuture.runAsync(() -> {
      try {
        runner.run(actions);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Waits until the snapshot thread has carried out the retirements asked for so far (it runs them in order). */
  void awaitRetired() throws Exception {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    taker.runBetweenWrites(() -> reached.complete(null));
    reached.get(5, TimeUnit.SECONDS);
  }

  /** Waits until the apply thread has applied (or restored) up to {@code zxid}: its queue is ordered. */
  void awaitApplied(Zxid zxid) throws Exception {
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    applyLoop.completeWhenApplied(zxid, done);
    done.get(5, TimeUnit.SECONDS);
  }

  static Txn txn(long epoch, long counter) {
    return new Txn(Zxid.of(epoch, counter), ("t" + counter).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    held.release();
    disk.release();
    logWriter.close();
    applyLoop.close(new ClosedException("test over"));
    taker.close();
    transport.close();
    followers.forEach(Transport::close);
    callbacks.close();
  }
}
