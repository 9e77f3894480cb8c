package io.zab.nemesis;

import io.zab.examples.client.KvClient;
import io.zab.nemesis.check.Convergence;
import io.zab.nemesis.check.LinearizabilityCheck;
import io.zab.nemesis.check.LostWrites;
import io.zab.nemesis.cluster.Cluster;
import io.zab.nemesis.cluster.NodeStatus;
import io.zab.nemesis.net.Cut;
import io.zab.nemesis.proc.ServerProcess;
import io.zab.nemesis.workload.History;
import io.zab.nemesis.workload.KeySpace;
import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.OpKind;
import io.zab.nemesis.workload.Outcome;
import io.zab.nemesis.workload.RunClock;
import io.zab.nemesis.workload.Workload;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The end of a run: every fault healed, the cluster must serve and converge; final reads of every key on
 * every server; then linearizability, lost and rejected writes, convergence and server exits are checked,
 * the figures printed, and the summary line last.
 */
final class FinalChecks {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** Search steps per key: far more than a clean key needs, so UNDECIDED means a pathological history. */
  private static final long LIN_STEP_BUDGET = 20_000_000;

  private final Cluster cluster;
  private final History history;
  private final Progress progress;
  private final RunSettings settings;
  private final RunClock clock;

  FinalChecks(Cluster cluster, History history, Progress progress, RunSettings settings, RunClock clock) {
    this.cluster = cluster;
    this.history = history;
    this.progress = progress;
    this.settings = settings;
    this.clock = clock;
  }

  int finish(List<FaultRecord> records, List<String> roundProblems, List<String> exits, List<NodeStatus> samples,
      long faultsFrom, long faultsTo, MembershipFaults membership) throws InterruptedException, IOException {
    List<String> problems = new ArrayList<>(roundProblems);
    healEverything();
    List<String> notVoters = membership.restoreVoters();
    progress.log("membership before the checks: %s", notVoters.isEmpty()
        ? "every server is a voter" : String.join("; ", notVoters));
    problems.addAll(notVoters);
    Map<Integer, Long> served = cluster.awaitServing(PATIENCE);
    if (served.size() < cluster.ids().size()) {
      problems.add("at the end, servers " + cluster.ids().stream().filter(i -> !served.containsKey(i)).toList()
          + " did not serve within " + PATIENCE.toSeconds() + " s");
    }
    List<NodeStatus> statuses = awaitSameState();
    progress.log("final state: %s", statuses);

    finalRegisterReads();
    Map<Integer, Map<String, String>> contents = listEverywhere();
    Map<Integer, Map<String, String>> sets = new TreeMap<>();
    contents.forEach((id, all) -> {
      Map<String, String> mine = new HashMap<>();
      all.forEach((k, v) -> {
        if (k.startsWith(KeySpace.SET_PREFIX)) {
          mine.put(k, v);
        }
      });
      sets.put(id, mine);
    });
    history.write(settings.dir().resolve("history.tsv"));
    List<Op> ops = history.ops();
    progress.log("checking %d operations (history in %s)", ops.size(), settings.dir().resolve("history.tsv"));

    LinearizabilityCheck.Report lin = new LinearizabilityCheck(LIN_STEP_BUDGET).check(ops);
    LostWrites.Report lost = LostWrites.check(ops, sets);
    Convergence.Report conv = Convergence.compare(statuses, contents);

    Figures.print(progress, records, ops, samples, faultsFrom, faultsTo, cluster.ids().size());
    progress.line("nemesis: " + membership.tally().line());
    progress.line(String.format("nemesis: checks: %d keys checked for linearizability, %d not linearizable, %d"
            + " undecided; %d acknowledged once-only puts, %d lost, %d refused yet visible (unknown outcome: %d"
            + " applied, %d not); converged: %s; servers exited on their own: %d",
        lin.keysChecked(), lin.illegal().size(), lin.undecided().size(), lost.acknowledged(), lost.lost().size(),
        lost.rejectedVisible().size(), lost.unknownPresent(), lost.unknownAbsent(), conv.converged() ? "yes" : "no",
        exits.size()));

    List<String> checkProblems = new ArrayList<>();
    lin.illegal().stream().limit(3).forEach(k -> checkProblems.add(k.result().describe(25).strip()));
    if (lin.illegal().size() > 3) {
      checkProblems.add((lin.illegal().size() - 3) + " more keys are not linearizable: "
          + lin.illegal().stream().skip(3).map(LinearizabilityCheck.KeyVerdict::key).toList());
    }
    lin.undecided().forEach(k -> checkProblems.add(k.result().describe(5).strip()));
    lost.lost().stream().limit(20).forEach(checkProblems::add);
    lost.rejectedVisible().stream().limit(20).forEach(checkProblems::add);
    conv.differences().stream().limit(20).forEach(d -> problems.add("not converged: " + d));
    problems.addAll(exits);
    problems.addAll(OutOfOrderSeen.in(settings.dir()).problems());

    int exit;
    if (settings.selfTest()) {
      List<String> selfTest = SelfTest.evaluate(lin, lost);
      checkProblems.forEach(p -> progress.line("nemesis: self-test found (expected): " + p));
      problems.forEach(p -> progress.line("nemesis: PROBLEM: " + p));
      selfTest.forEach(p -> progress.line("nemesis: self-test FAILED: " + p));
      boolean passed = selfTest.isEmpty() && problems.isEmpty();
      progress.line("nemesis: self-test " + (passed ? "PASSED: the planted stale read and the planted lost write"
          + " were both caught, and nothing else was wrong" : "FAILED"));
      exit = passed ? NemesisRun.EXIT_OK : NemesisRun.EXIT_ANOMALY;
    } else {
      problems.addAll(0, checkProblems);
      problems.forEach(p -> progress.line("nemesis: PROBLEM: " + p));
      exit = problems.isEmpty() ? NemesisRun.EXIT_OK : NemesisRun.EXIT_ANOMALY;
      if (!problems.isEmpty()) {
        progress.line("nemesis: server logs and the history are in " + settings.dir() + "; replay the fault schedule"
            + " with: ./zab-cluster nemesis --seed " + settings.seed() + " --rounds " + records.size());
      }
    }
    int definite = (int) ops.stream().filter(o -> o.outcome().definite()).count();
    int unknown = (int) ops.stream().filter(o -> o.outcome() == Outcome.UNKNOWN).count();
    Summary summary = new Summary(records.size(), records.stream().mapToInt(FaultRecord::partitions).sum(),
        records.stream().mapToInt(FaultRecord::kills).sum(), records.stream().mapToInt(FaultRecord::pauses).sum(),
        ops.size(), definite, unknown, lost.lost().size(), lin.linearizable(), conv.converged(),
        membership.tally());
    progress.line("nemesis: " + RecyclingSeen.in(settings.dir()).describe());
    progress.line(summary.line());
    return exit;
  }

  private void healEverything() {
    cluster.network().apply(Cut.NONE);
    for (int id : cluster.ids()) {
      ServerProcess s = cluster.server(id);
      s.resume();
      if (!s.running()) {
        s.start();
      }
    }
  }

  /** Polls until every server reports one leader, one epoch, the same zxids and digest (or the patience ends). */
  private List<NodeStatus> awaitSameState() throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    List<NodeStatus> s = cluster.statuses();
    while (!Convergence.statusDifferences(s).isEmpty() && System.nanoTime() - deadline < 0) {
      TimeUnit.MILLISECONDS.sleep(200);
      s = cluster.statuses();
    }
    return s;
  }

  /** Linearizable reads of every register key on every server, recorded in the history (for the checker). */
  private Map<Integer, Map<String, String>> finalRegisterReads() {
    TreeSet<String> keys = new TreeSet<>();
    history.ops().stream().filter(o -> o.kind() != OpKind.ADD).forEach(o -> keys.add(o.key()));
    return readEverywhere(List.copyOf(keys), (id, key) -> {
      Op op = Workload.execute(history, clock, "final", id, cluster.client(id), OpKind.READ, key, null, null);
      return op.outcome() == Outcome.OK ? op.observed() : "<no answer: " + op.outcome() + ">";
    });
  }

  /**
   * Every key and value on every server, by a local listing: the servers converged (same applied zxid), so
   * local is current. A server that cannot be listed gets no entry, which the convergence check reports.
   */
  private Map<Integer, Map<String, String>> listEverywhere() {
    Map<Integer, Map<String, String>> out = new TreeMap<>();
    for (int id : cluster.ids()) {
      try {
        KvClient.Response r = cluster.client(id).list("", false);
        Map<String, String> values = new HashMap<>();
        if (r.status() == 200 && r.body().get("entries") instanceof Map<?, ?> entries) {
          entries.forEach((k, v) -> values.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
          values.put("<listing>", "status " + r.status());
        }
        out.put(id, values);
      } catch (RuntimeException e) {
        out.put(id, Map.of("<listing>", "failed: " + e.getMessage()));
      }
    }
    return out;
  }

  private interface Reader {
    /** The value of {@code key} on server {@code id} (null: absent; a {@code <...>} text: could not be read). */
    String read(int id, String key);
  }

  /** Reads every key on every server, a few requests in parallel per server; absent keys are left out. */
  private Map<Integer, Map<String, String>> readEverywhere(List<String> keys, Reader reader) {
    int perServer = 4;
    ExecutorService pool = Executors.newFixedThreadPool(cluster.ids().size() * perServer);
    try {
      Map<Integer, Map<String, String>> out = new TreeMap<>();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int id : cluster.ids()) {
        Map<String, String> values = new java.util.concurrent.ConcurrentHashMap<>();
        out.put(id, values);
        for (int part = 0; part < perServer; part++) {
          List<String> mine = new ArrayList<>();
          for (int i = part; i < keys.size(); i += perServer) {
            mine.add(keys.get(i));
          }
          all.add(CompletableFuture.runAsync(() -> mine.forEach(k -> {
            String v = reader.read(id, k);
            if (v != null) {
              values.put(k, v);
            }
          }), pool));
        }
      }
      all.forEach(CompletableFuture::join);
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
