package io.zab.nemesis.cluster;

import io.zab.examples.client.KvClient;
import io.zab.nemesis.net.NetPlan;
import io.zab.nemesis.net.RunNetwork;
import io.zab.nemesis.proc.ServerProcess;
import io.zab.nemesis.workload.RunClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The running servers of one run, their network and HTTP clients: who leads, who serves, what each says.
 * Clients reach the servers over the client subnet, which partitions never touch.
 */
public final class Cluster implements AutoCloseable {
  /** Longer than a server's own request timeout (10 s), so a server's answer is never cut short by ours. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(12);
  private static final Duration STATUS_TIMEOUT = Duration.ofMillis(800);
  private static final String PROBE_KEY = "nemesis-probe";

  private final RunNetwork network;
  private final Map<Integer, ServerProcess> servers = new HashMap<>();
  private final Map<Integer, KvClient> clients = new HashMap<>();
  private final Map<Integer, KvClient> statusClients = new HashMap<>();
  private final RunClock clock;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cluster-probe");
    t.setDaemon(true);
    return t;
  });

  public Cluster(RunNetwork network, List<ServerProcess> servers, RunClock clock) {
    this.network = network;
    this.clock = clock;
    for (ServerProcess s : servers) {
      this.servers.put(s.id(), s);
      this.clients.put(s.id(), new KvClient(network.plan().httpUrl(s.id()), REQUEST_TIMEOUT));
      this.statusClients.put(s.id(), new KvClient(network.plan().httpUrl(s.id()), STATUS_TIMEOUT));
    }
  }

  public RunNetwork network() {
    return network;
  }

  public NetPlan plan() {
    return network.plan();
  }

  public List<Integer> ids() {
    return network.plan().ids();
  }

  public ServerProcess server(int id) {
    return Objects.requireNonNull(servers.get(id), "no server " + id);
  }

  /** The client of server {@code id}'s HTTP API (12 s per request). */
  public KvClient client(int id) {
    return Objects.requireNonNull(clients.get(id), "no server " + id);
  }

  public RunClock clock() {
    return clock;
  }

  public NodeStatus status(int id) {
    long now = clock.micros();
    try {
      return NodeStatus.parse(id, now, statusClients.get(id).status());
    } catch (RuntimeException e) {
      return NodeStatus.down(id, now);
    }
  }

  /** Every server's status, asked at once. */
  public List<NodeStatus> statuses() {
    List<CompletableFuture<NodeStatus>> f = new ArrayList<>();
    for (int id : ids()) {
      f.add(CompletableFuture.supplyAsync(() -> status(id), pool));
    }
    return f.stream().map(CompletableFuture::join).toList();
  }

  /** The server that leads with a majority following it in its epoch, or null. */
  public static Integer leaderOf(List<NodeStatus> statuses) {
    int majority = statuses.size() / 2 + 1;
    for (NodeStatus l : statuses) {
      if (!l.leading()) {
        continue;
      }
      long backers = statuses.stream().filter(s -> (s.leading() || s.following())
          && Objects.equals(s.leader(), (long) l.node()) && s.epoch() == l.epoch()).count();
      if (backers >= majority) {
        return l.node();
      }
    }
    return null;
  }

  public Integer leader() {
    return leaderOf(statuses());
  }

  /**
   * Waits until every server answers a linearizable read (a sync barrier, so it follows an established
   * leader that a quorum confirms), at most {@code patience}.
   *
   * @return per server, the run time (us) of its first such answer; servers that did not answer are missing
   */
  public Map<Integer, Long> awaitServing(Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Map<Integer, CompletableFuture<Long>> f = new HashMap<>();
    for (int id : ids()) {
      f.put(id, CompletableFuture.supplyAsync(() -> firstServed(id, deadline), pool));
    }
    Map<Integer, Long> served = new HashMap<>();
    f.forEach((id, fut) -> {
      Long t = fut.join();
      if (t != null) {
        served.put(id, t);
      }
    });
    return served;
  }

  private Long firstServed(int id, long deadline) {
    KvClient c = client(id);
    while (System.nanoTime() - deadline < 0) {
      try {
        KvClient.Response r = c.get(PROBE_KEY, true);
        if (r.status() == 200 || (r.status() == 404 && r.body().containsKey("key"))) {
          return clock.micros();
        }
      } catch (UncheckedIOException | IllegalArgumentException e) {
        // not serving yet (down, restarting, or the request timed out): try again
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return null;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
