package io.zab.nemesis;

import io.zab.examples.client.KvClient;
import io.zab.nemesis.cluster.Cluster;
import io.zab.nemesis.cluster.StatusMonitor;
import io.zab.nemesis.fault.Fault;
import io.zab.nemesis.fault.FaultPlanner;
import io.zab.nemesis.fault.Shapes;
import io.zab.nemesis.net.CommandRunner;
import io.zab.nemesis.net.Cut;
import io.zab.nemesis.net.NetPlan;
import io.zab.nemesis.net.Preflight;
import io.zab.nemesis.net.RunNetwork;
import io.zab.nemesis.proc.Cleanup;
import io.zab.nemesis.proc.ServerProcess;
import io.zab.nemesis.workload.History;
import io.zab.nemesis.workload.KeySpace;
import io.zab.nemesis.workload.RunClock;
import io.zab.nemesis.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run: preflight, network (checked with the connect matrix), servers, workload and status monitor, fault
 * rounds, then the final checks ({@link FinalChecks}). Whatever happens, the {@link Cleanup} removes the
 * servers and the network, from the {@code finally} here or from the shutdown hook on Ctrl-C / SIGTERM.
 */
final class NemesisRun {
  static final int EXIT_OK = 0;
  static final int EXIT_ANOMALY = 1;
  static final int EXIT_HARNESS = 3;
  /** The host cannot run the suite (no root, no namespaces): the caller may call it skipped. */
  static final int EXIT_CANNOT_RUN = 77;

  private static final Duration SERVING_PATIENCE = Duration.ofSeconds(60);

  private final RunSettings settings;
  private final CommandRunner runner;
  private final PrintStream out;
  private final RunClock clock = new RunClock();
  private final Cleanup cleanup = new Cleanup();
  private final List<String> unexpectedExits = Collections.synchronizedList(new ArrayList<>());
  /** Set by the shutdown hook: failures from then on are the signal's doing, not the cluster's. */
  private volatile boolean stopping;

  NemesisRun(RunSettings settings, CommandRunner runner, PrintStream out) {
    this.settings = settings;
    this.runner = runner;
    this.out = out;
  }

  int run() throws IOException, InterruptedException {
    Optional<String> problem = Preflight.problem(runner, settings.runId());
    if (problem.isPresent()) {
      out.println("nemesis: cannot run here: " + problem.get());
      return EXIT_CANNOT_RUN;
    }
    Files.createDirectories(settings.dir());
    Thread hook = new Thread(this::cleanUp, "nemesis-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Progress progress = new Progress(clock, out, settings.dir().resolve("nemesis.log"))) {
      try {
        return rounds(progress);
      } catch (ServersNotServingException | ConnectMatrixFailure e) {
        progress.line("nemesis: aborted: " + (stopping ? "stopped by a signal" : e.getMessage()));
        return EXIT_HARNESS;
      } catch (RuntimeException e) {
        progress.line("nemesis: aborted: " + (stopping ? "stopped by a signal" : e.toString()));
        if (!stopping) {
          e.printStackTrace(out);
        }
        return EXIT_HARNESS;
      } finally {
        List<String> left = cleanup.runAll();
        if (!left.isEmpty()) {
          progress.line("nemesis: cleanup left something behind: " + String.join("; ", left));
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs the (now empty) cleanup
      }
    }
  }

  /** The shutdown hook: only has work when the run did not get to its own cleanup (Ctrl-C, SIGTERM). */
  private void cleanUp() {
    stopping = true;
    if (cleanup.done()) {
      return;
    }
    List<String> left = cleanup.runAll();
    out.println("nemesis: stopped by a signal: the servers and the network of run " + settings.runId() + " were removed"
        + (left.isEmpty() ? "" : ", except: " + String.join("; ", left)));
    out.flush();
  }

  private int rounds(Progress progress) throws InterruptedException, IOException {
    SplittableRandom random = new SplittableRandom(settings.seed());
    progress.log("run %s, seed %d, data and logs in %s", settings.runId(), settings.seed(), settings.dir());
    RunNetwork net = RunNetwork.create(runner, settings.runId(), RunSettings.NODES, new SplittableRandom(),
        n -> cleanup.register("network of run " + settings.runId(), n::teardown));
    NetPlan plan = net.plan();
    progress.log("network: namespaces %s1..%d, peers on %s (10.77.1.0/24), clients on %s (%s)", plan.namespacePrefix(),
        plan.nodes(), plan.peerBridge(), plan.clientBridge(), plan.clientSubnet());
    checkPartitionMechanism(net, progress);

    List<ServerProcess> servers = new ArrayList<>();
    for (int id : plan.ids()) {
      servers.add(new ServerProcess(id, serverCommand(plan, id), settings.dir().resolve("node-" + id + ".log"), runner,
          unexpectedExits::add));
    }
    try (Cluster cluster = new Cluster(net, servers, clock)) {
      servers.forEach(ServerProcess::start);
      Map<Integer, Long> served = cluster.awaitServing(SERVING_PATIENCE);
      if (served.size() < plan.nodes()) {
        throw new ServersNotServingException("the servers did not all serve within " + SERVING_PATIENCE.toSeconds()
            + " s of starting (serving: " + served.keySet() + "); see " + settings.dir() + "/node-*.log");
      }
      progress.log("servers up: %s, leader %s", pids(servers), cluster.leader());

      History history = new History();
      List<KvClient> clients = plan.ids().stream().map(cluster::client).toList();
      Workload workload = new Workload(clients, history, new KeySpace(4, 15_000_000), clock,
          settings.clientsPerNode(), 10, random.split());
      StatusMonitor monitor = new StatusMonitor(cluster, 100);
      monitor.start();
      workload.start();
      long faultsFrom = clock.micros();
      Thread.sleep(2_000);
      RoundLog log = faultRounds(cluster, history, random, progress);
      long faultsTo = clock.micros();
      progress.log("faults over: %d rounds; stopping the workload", log.records.size());
      workload.stop(Cluster.REQUEST_TIMEOUT.toMillis() + 3_000);
      monitor.stop();
      return new FinalChecks(cluster, history, progress, settings, clock).finish(log.records, log.problems,
          unexpectedExits, monitor.samples(), faultsFrom, faultsTo, log.membership);
    }
  }

  /** The fault records of the rounds, and what went wrong on the way (servers not serving again). */
  private record RoundLog(List<FaultRecord> records, List<String> problems, MembershipFaults membership) {}

  private RoundLog faultRounds(Cluster cluster, History history, SplittableRandom random, Progress progress)
      throws InterruptedException {
    FaultPlanner planner = new FaultPlanner(settings.seed(), settings.membership());
    FaultRunner faults = new FaultRunner(cluster, progress);
    List<FaultRecord> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int partitions = 0;
    long started = System.nanoTime();
    while (settings.moreRounds(records.size(), partitions, (System.nanoTime() - started) / 1_000_000)) {
      int round = records.size() + 1;
      restartUnexpectedlyExited(cluster, progress);
      Thread.sleep(300 + random.nextLong(1_200)); // let the workload run on a healthy cluster for a while
      Integer leader = cluster.leader();
      Fault fault = planner.next();
      FaultRecord r;
      try {
        r = faults.run(round, fault, leader);
      } catch (io.zab.nemesis.net.ConnectMatrix.PartitionMismatchException e) {
        throw new ConnectMatrixFailure(e.getMessage());
      }
      partitions += r.partitions();
      Map<Integer, Long> served = cluster.awaitServing(SERVING_PATIENCE);
      String note = faults.afterRecovery();
      if (served.size() < cluster.ids().size()) {
        records.add(r.recovered(note, -1));
        String p = "round " + round + " (" + r.description() + "): servers " + missing(cluster.ids(), served)
            + " did not serve within " + SERVING_PATIENCE.toSeconds() + " s of the heal";
        problems.add(p);
        progress.log("%s", p);
        break;
      }
      long recovered = served.values().stream().mapToLong(Long::longValue).max().orElse(r.healMicros());
      r = r.recovered(note, Math.max(0, recovered - r.healMicros()));
      records.add(r);
      progress.log("round %d: healed; every server serving %d ms later%s", round, r.recoveryMicros() / 1_000,
          r.note().isEmpty() ? "" : "; " + r.note());
      if (settings.selfTest() && round == 1) {
        SelfTest.plant(cluster, history, progress);
      }
    }
    return new RoundLog(records, problems, faults.membership());
  }

  private void checkPartitionMechanism(RunNetwork net, Progress progress) {
    int states = 0;
    try {
      net.verify();
      states++;
      for (int id : net.plan().ids()) {
        net.apply(Shapes.isolate(id, net.plan().ids()));
        net.verify();
        net.apply(Cut.NONE);
        net.verify();
        states += 2;
      }
      net.apply(Shapes.all(net.plan().ids()));
      net.verify();
      net.apply(Cut.NONE);
      net.verify();
      states += 2;
    } catch (io.zab.nemesis.net.ConnectMatrix.PartitionMismatchException e) {
      throw new ConnectMatrixFailure(e.getMessage());
    }
    progress.log("partition mechanism checked: connect matrix as intended in %d states (healed, each server"
        + " isolated, all cut; client paths always open)", states);
  }

  private void restartUnexpectedlyExited(Cluster cluster, Progress progress) {
    for (int id : cluster.ids()) {
      ServerProcess s = cluster.server(id);
      if (!s.running()) {
        progress.log("server %d is not running (it exited on its own): restarting it", id);
        s.start();
      }
    }
  }

  private List<String> serverCommand(NetPlan plan, int id) {
    List<String> args = List.of("--id", Integer.toString(id), "--peers", plan.peerList(), "--http-host",
        plan.clientIp(id), "--http-port", Integer.toString(NetPlan.HTTP_PORT), "--data-dir",
        settings.dir().resolve("node-" + id).toString(), "--snapshot-every", Integer.toString(settings.snapshotEvery()),
        "--log-segment-bytes", Long.toString(settings.logSegmentBytes()));
    return ServerProcess.command(plan.namespace(id), settings.java(), settings.classpath(), settings.serverJvmOptions(),
        args);
  }

  private static String pids(List<ServerProcess> servers) {
    List<String> s = new ArrayList<>();
    for (ServerProcess p : servers) {
      s.add(p.id() + (p.running() ? " running" : " down"));
    }
    return String.join(", ", s);
  }

  private static List<Integer> missing(List<Integer> ids, Map<Integer, Long> served) {
    return ids.stream().filter(id -> !served.containsKey(id)).toList();
  }

  /** The servers never came up: nothing about zab can be concluded. */
  static final class ServersNotServingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServersNotServingException(String message) {
      super(message);
    }
  }

  /** The network was not cut as intended: the run cannot be trusted. */
  static final class ConnectMatrixFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectMatrixFailure(String message) {
      super("partition mechanism failed: " + message);
    }
  }

  static Path defaultDir(Path root, String runId) {
    return root.resolve("data").resolve("nemesis").resolve(runId);
  }
}
