package io.zab.runtime;

import io.zab.Member;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.protocol.Timing;
import io.zab.storage.FileSyncer;
import io.zab.transport.LocalNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A test ensemble of real {@link ZabNode}s (real files under a temp dir) on one {@link LocalNetwork}, with fast
 * timeouts. Nodes can be stopped and restarted on the same data directory.
 */
public final class LocalCluster implements AutoCloseable {
  /** 20 ms ticks: 60 ms finalize wait, 0.5 s sync limit, 100 ms pings, 3 s init limit. */
  public static final long TICK_MILLIS = 20;
  public static final Timing FAST = new Timing(3, 10, 150, 25, 5);
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final Path root;
  private final List<Member> members = new ArrayList<>();
  private final LocalNetwork net;
  private final UnaryOperator<ZabNode.Builder> tweak;
  private final Map<Long, ZabNode> running = new TreeMap<>();
  private final Map<Long, RecordingStateMachine> machines = new TreeMap<>();

  public LocalCluster(Path root, int size) {
    this(root, size, b -> b);
  }

  public LocalCluster(Path root, int size, UnaryOperator<ZabNode.Builder> tweak) {
    this(root, size, LocalNetwork.createWithCodec(), tweak); // every message crosses the wire format
  }

  /** An ensemble on a network of the caller's (e.g. one that also records what crosses it). */
  public LocalCluster(Path root, int size, LocalNetwork net, UnaryOperator<ZabNode.Builder> tweak) {
    this.root = root;
    this.net = net;
    this.tweak = tweak;
    for (long id = 1; id <= size; id++) {
      members.add(Member.local(id));
    }
  }

  public LocalNetwork network() {
    return net;
  }

  public List<Long> ids() {
    return members.stream().map(Member::id).toList();
  }

  public LocalCluster startAll() throws IOException {
    for (Member m : members) {
      start(m.id());
    }
    return this;
  }

  /** Starts every server, each with a fresh disk from {@code newDisk}; returns the disks by server id. */
  public <D extends FileSyncer> Map<Long, D> startAllWithDisks(java.util.function.Supplier<D> newDisk)
      throws IOException {
    Map<Long, D> disks = new TreeMap<>();
    for (Member m : members) {
      D disk = newDisk.get();
      disks.put(m.id(), disk);
      startWith(m.id(), b -> b.fileSyncer(disk));
    }
    return disks;
  }

  /** Starts server {@code id} on its data directory with a fresh state machine (restored from disk). */
  public ZabNode start(long id) throws IOException {
    return startWith(id, b -> b);
  }

  /** {@link #start(long)} with extra settings for this server only. */
  public synchronized ZabNode startWith(long id, UnaryOperator<ZabNode.Builder> extra) throws IOException {
    RecordingStateMachine sm = new RecordingStateMachine();
    ZabNode node = extra.apply(tweak.apply(ZabNode.builder()
            .serverId(id)
            .members(members)
            .dataDir(root.resolve("server-" + id))
            .transport(net::transport)
            .stateMachine(sm)
            .tickMillis(TICK_MILLIS)
            .timing(FAST)))
        .build();
    machines.put(id, sm);
    running.put(id, node);
    try {
      node.start();
    } catch (IOException | RuntimeException e) {
      running.remove(id);
      throw e;
    }
    return node;
  }

  /** Closes server {@code id} (a clean crash: what was fsynced stays). */
  public synchronized void stop(long id) {
    ZabNode n = running.remove(id);
    if (n != null) {
      n.close();
    }
  }

  public synchronized ZabNode node(long id) {
    ZabNode n = running.get(id);
    if (n == null) {
      throw new IllegalStateException("server " + id + " is not running");
    }
    return n;
  }

  public synchronized RecordingStateMachine sm(long id) {
    return machines.get(id);
  }

  public synchronized List<Long> runningIds() {
    return List.copyOf(running.keySet());
  }

  /**
   * Waits until one of {@code among} leads, every other one of them follows it, and each of them serves a
   * read barrier (so the leader is established and the followers are synced); returns the leader.
   */
  public ZabNode awaitLeader(Collection<Long> among) {
    awaitCondition(WAIT, () -> settledLeader(among) != null && among.stream().allMatch(this::serves),
        () -> "a settled leader among " + among + ": " + this);
    return node(settledLeader(among));
  }

  /** Whether server {@code id} completes a read barrier now (fails fast while it is not synced). */
  boolean serves(long id) {
    try {
      node(id).sync().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** {@link #awaitLeader(Collection)} over every running server. */
  public ZabNode awaitLeader() {
    return awaitLeader(runningIds());
  }

  private synchronized Long settledLeader(Collection<Long> among) {
    Long leader = null;
    for (long id : among) {
      ZabNode n = running.get(id);
      if (n != null && n.role() == Role.LEADING) {
        if (leader != null) {
          return null;
        }
        leader = id;
      }
    }
    if (leader == null) {
      return null;
    }
    for (long id : among) {
      ZabNode n = running.get(id);
      if (id != leader && (n == null || n.role() != Role.FOLLOWING || n.leader().orElse(0) != leader)) {
        return null;
      }
    }
    return leader;
  }

  /** Waits until every server in {@code ids} has applied exactly {@code expected}, in order. */
  public void awaitApplied(Collection<Long> ids, List<String> expected) {
    awaitCondition(WAIT, () -> ids.stream().allMatch(id -> sm(id).applied().equals(expected)),
        () -> "servers " + ids + " to apply " + expected.size() + " txns; applied: " + appliedCounts(ids));
  }

  private String appliedCounts(Collection<Long> ids) {
    StringBuilder b = new StringBuilder();
    for (long id : ids) {
      b.append(id).append('=').append(sm(id).applied().size()).append(' ');
    }
    return b + this.toString();
  }

  /**
   * {@code n} writes of {@code bytes} each (payload {@code tag + i + "-xx..."}) submitted on {@code on}, 16 in flight
   * at a time, each waited for; returns the payloads in order.
   */
  public static List<String> writeAll(ZabNode on, String tag, int n, int bytes) throws Exception {
    List<String> written = new ArrayList<>();
    List<CompletableFuture<Zxid>> inFlight = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String p = tag + i + "-" + "x".repeat(bytes - tag.length() - 8);
      written.add(p);
      inFlight.add(on.submit(bytes(p)));
      if (inFlight.size() == 16 || i == n - 1) {
        for (CompletableFuture<Zxid> f : inFlight) {
          f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        inFlight.clear();
      }
    }
    return written;
  }

  /** Waits until server {@code id} has written a snapshot at or after {@code zxid}. */
  public void awaitSnapshotAtLeast(long id, Zxid zxid) {
    Path snapshots = root.resolve("server-" + id).resolve("snapshots");
    String at = String.format("snapshot.%016x", zxid.value());
    awaitCondition(WAIT, () -> {
      try (var files = java.nio.file.Files.list(snapshots)) {
        // names sort in zxid order; unfinished ones end in .tmp
        return files.map(f -> f.getFileName().toString())
            .anyMatch(n -> n.startsWith("snapshot.") && !n.endsWith(".tmp") && n.compareTo(at) >= 0);
      } catch (IOException e) {
        return false;
      }
    }, () -> "server " + id + " to write a snapshot at or after " + zxid);
  }

  /** Submits {@code payload} on server {@code on} and waits for it to be applied there. */
  public Zxid write(long on, String payload) throws Exception {
    return node(on).submit(bytes(payload)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Polls {@code condition} every 5 ms on a timer thread and waits (on a future, without sleeping) until it
   * holds; fails with {@code what} after {@code timeout}.
   */
  public static void awaitCondition(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try {
      poller.scheduleWithFixedDelay(() -> {
        try {
          if (condition.getAsBoolean()) {
            done.complete(null);
          }
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      }, 0, 5, TimeUnit.MILLISECONDS);
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
    } catch (Exception e) {
      throw new AssertionError("failed waiting for " + what.get(), e);
    } finally {
      poller.shutdownNow();
    }
  }

  @Override
  public synchronized void close() {
    for (ZabNode n : running.values()) {
      n.close();
    }
    running.clear();
  }

  @Override
  public synchronized String toString() {
    StringBuilder b = new StringBuilder("[");
    for (ZabNode n : running.values()) {
      b.append(n).append("; ");
    }
    return b.append(']').toString();
  }
}
