package io.zab.examples.demo;

import io.zab.Zxid;
import io.zab.examples.client.ClusterView;
import io.zab.examples.client.KvClient;
import io.zab.examples.client.KvClient.Response;
import io.zab.examples.client.Poll;
import io.zab.examples.client.SessionKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The failover walk-through, against a running three-node cluster: writes through a follower and reads from
 * another (S9), lock contention between two clients (S11), SIGKILL of the leader, re-election (S1, S4), the
 * waiting client getting the lock with a higher fencing token once the dead holder's session expires through
 * the log, every key and lock intact, the killed node rejoining, and replicas agreeing byte for byte.
 */
public final class FailoverScenario {
  private static final String LOCK = "demo-lock";
  private static final Duration ELECTION = Duration.ofSeconds(60);

  private final List<KvClient> clients;
  private final NodeControl control;
  private final Checks checks;
  private final long sessionTimeoutMs;

  public FailoverScenario(List<KvClient> clients, NodeControl control, Checks checks, long sessionTimeoutMs) {
    this.clients = List.copyOf(clients);
    this.control = control;
    this.checks = checks;
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  /** Runs every step; each outcome is recorded in the checks. */
  public Checks run() {
    ExecutorService waiter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "client-B-lock-wait");
      t.setDaemon(true);
      return t;
    });
    try {
      runSteps(waiter);
    } catch (Exception e) {
      checks.check("the scenario ran to its end", false, e.toString());
    } finally {
      waiter.shutdownNow();
    }
    return checks;
  }

  private void runSteps(ExecutorService waiter) throws Exception {
    checks.step("A three-node cluster elects a leader (S1-S5)");
    Optional<ClusterView> settled = awaitSettled(clients, 3, -1);
    if (!checks.check("every node is up and one leader is elected", settled.isPresent(), null)) {
      checks.note(ClusterView.read(clients).table());
      return;
    }
    ClusterView view = settled.get();
    checks.note(view.table());
    long leader = view.settledLeader(3).orElseThrow();
    long firstEpoch = view.node(leader).orElseThrow().epoch();
    Map<Long, KvClient> byId = new LinkedHashMap<>();
    for (int i = 0; i < clients.size(); i++) {
      byId.put(view.nodes().get(i).id(), clients.get(i));
    }
    List<Long> followers = byId.keySet().stream().filter(id -> id != leader).sorted().toList();
    KvClient leaderClient = byId.get(leader);
    KvClient writer = byId.get(followers.get(0));
    KvClient reader = byId.get(followers.get(1));

    checks.step("Writes sent to follower " + followers.get(0) + ", read from follower " + followers.get(1) + " (S9)");
    Map<String, String> written = new LinkedHashMap<>();
    String run = Long.toHexString(System.currentTimeMillis());
    List<String> zxids = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String key = "demo/key-" + i;
      String value = "value-" + i + "-" + run;
      Response r = writer.put(key, value);
      if (r.ok()) {
        written.put(key, value);
        zxids.add(r.text("zxid"));
      }
    }
    checks.check("10 writes through a follower committed (forwarded to the leader)", written.size() == 10,
        zxids.isEmpty() ? "none" : "zxids " + zxids.get(0) + " .. " + zxids.get(zxids.size() - 1));
    long visible = written.entrySet().stream()
        .filter(e -> e.getValue().equals(reader.get(e.getKey(), false).text("value"))).count();
    checks.note("local reads on follower " + followers.get(1) + " already see " + visible
        + "/10 keys (a local read may be stale, S9)");
    checks.check("reads after sync on follower " + followers.get(1) + " see all 10 writes",
        keysIntact(reader, written), null);

    checks.step("Lock contention: client A (on leader " + leader + ") holds '" + LOCK + "', client B (on follower "
        + followers.get(1) + ") waits (S11)");
    SessionKeeper a = new SessionKeeper(leaderClient, sessionTimeoutMs, "client-A");
    SessionKeeper b = new SessionKeeper(reader, sessionTimeoutMs, "client-B");
    Response grantA = leaderClient.acquire(LOCK, a.session(), 0);
    if (!checks.check("client A takes the lock", grantA.flag("granted"), grantA.toString())) {
      return;
    }
    long tokenA = grantA.number("fencingToken");
    CompletableFuture<Response> waitB =
        CompletableFuture.supplyAsync(() -> reader.acquire(LOCK, b.session(), ELECTION.toMillis() * 2), waiter);
    boolean queued = Poll.until(Duration.ofSeconds(10),
        () -> List.of(b.session()).equals(reader.lock(LOCK).body().get("waiters")) ? true : null).value().isPresent();
    checks.check("client B waits in the lock's FIFO queue", queued && !waitB.isDone(),
        "session " + b.session() + ", holder session " + a.session() + " with fencing token " + tokenA + " = " + new Zxid(tokenA));

    checks.step("Kill -9 the leader (server " + leader + "); client A dies with it");
    a.stopHeartbeats();
    checks.note(control.kill(leader));
    List<KvClient> survivors = followers.stream().map(byId::get).toList();
    Optional<ClusterView> reelected = awaitSettled(survivors, 2, firstEpoch);
    if (!checks.check("the two survivors elect a new leader in a higher epoch", reelected.isPresent(), null)) {
      checks.note(ClusterView.read(clients).table());
      return;
    }
    long newLeader = reelected.get().settledLeader(2).orElseThrow();
    checks.note(ClusterView.read(clients).table());
    checks.note("new leader: server " + newLeader + " in epoch " + reelected.get().node(newLeader).orElseThrow().epoch()
        + " (was server " + leader + " in epoch " + firstEpoch + ")");

    checks.step("Client A's session expires through the log; the lock passes to client B");
    Response grantB = waitB.get(ELECTION.toMillis() * 2 + sessionTimeoutMs, TimeUnit.MILLISECONDS);
    boolean bGranted = checks.check("client B's long poll returns with the lock", grantB.flag("granted"),
        grantB.toString());
    if (bGranted) {
      long tokenB = grantB.number("fencingToken");
      checks.check("the fencing token increased", tokenB > tokenA,
          tokenA + " (" + new Zxid(tokenA) + ") -> " + tokenB + " (" + new Zxid(tokenB) + ")");
    }
    Response aBeat = reader.heartbeat(a.session());
    checks.check("client A's session is gone", aBeat.status() == 404, aBeat.toString());

    checks.step("Every key and the lock are intact on the survivors");
    Response lockView = reader.lock(LOCK);
    for (long id : followers) {
      KvClient c = byId.get(id);
      checks.check("server " + id + ": all 10 keys have their values after sync", keysIntact(c, written), null);
      Response view2 = c.lock(LOCK);
      checks.check("server " + id + ": lock held by client B with B's fencing token",
          view2.body().get("holder").equals(b.session()) && view2.body().equals(lockView.body()), view2.toString());
    }
    Response after = writer.put("demo/after-failover", run);
    checks.check("writes work after the failover", after.ok(), after.toString());
    if (after.ok()) {
      written.put("demo/after-failover", run);
    }

    if (control.restart(leader)) {
      checks.step("Restart server " + leader + " with its data directory");
      Optional<ClusterView> all = awaitSettled(clients, 3, -1);
      checks.check("server " + leader + " rejoins the ensemble", all.isPresent(), null);
      checks.note(ClusterView.read(clients).table());
      KvClient back = byId.get(leader);
      checks.check("server " + leader + ": every key caught up after sync", keysIntact(back, written), null);
      checks.check("server " + leader + ": the same lock state", back.lock(LOCK).body().equals(reader.lock(LOCK).body()),
          back.lock(LOCK).toString());
    }

    checks.step("Clean up: B releases the lock and closes its session; replicas converge");
    Response released = reader.release(LOCK, b.session());
    checks.check("client B releases the lock", released.flag("released"), released.toString());
    b.close();
    reader.closeSession(b.session());
    List<KvClient> up = ClusterView.read(clients).nodes().stream().filter(ClusterView.NodeStatus::up)
        .map(n -> new KvClient(n.url())).toList();
    checks.check("every live replica has the same state digest at the same zxid", replicasAgree(up), null);
  }

  /** Polls until {@code minUp} of {@code nodes} follow one leader in an epoch above {@code afterEpoch}. */
  private static Optional<ClusterView> awaitSettled(List<KvClient> nodes, int minUp, long afterEpoch) {
    return Poll.until(ELECTION, () -> {
      ClusterView v = ClusterView.read(nodes);
      Optional<Long> leader = v.settledLeader(minUp);
      return leader.isPresent() && v.node(leader.get()).orElseThrow().epoch() > afterEpoch ? v : null;
    }).value();
  }

  private static boolean keysIntact(KvClient c, Map<String, String> written) {
    return written.entrySet().stream().allMatch(e -> e.getValue().equals(c.get(e.getKey(), true).text("value")));
  }

  /**
   * Waits for a moment when every replica reports the same applied zxid, then compares digests. Equal zxids
   * with different digests would mean diverged replicas: that fails at once.
   */
  private boolean replicasAgree(List<KvClient> nodes) {
    Poll.Result<Boolean> r = Poll.until(Duration.ofSeconds(30), () -> {
      List<ClusterView.NodeStatus> s = ClusterView.read(nodes).nodes();
      if (s.stream().anyMatch(n -> !n.up())) {
        return null;
      }
      long zxids = s.stream().map(n -> n.status().get("appliedZxid")).distinct().count();
      if (zxids != 1) {
        return null;
      }
      long digests = s.stream().map(n -> n.status().get("stateDigest")).distinct().count();
      checks.note("applied zxid " + s.get(0).status().get("appliedZxid") + " on all " + s.size() + " nodes, digests "
          + s.stream().map(n -> (String) n.status().get("stateDigest")).toList());
      return digests == 1;
    });
    return r.value().orElse(false);
  }
}
