package io.zab.bench.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pressure benchmark (issue 10): a 3-server zab cluster on loopback (one JVM each, Netty, fsync on) under
 * the same closed-loop write load to the leader, in several scenarios, each on a fresh cluster in one run:
 * healthy; one follower's disk 100x slower; the leader's disk 100x slower; 1 MiB writes pouring into a
 * follower; a follower that missed 200 MiB catching up while the load runs. For each it reports the
 * throughput against the healthy run, the failovers (new epochs) and role changes, and the worst write latency.
 * Writes a markdown table to stdout and into {@code --docs} between {@code <!-- pressure-results:begin -->}
 * and {@code <!-- pressure-results:end -->}.
 *
 * <p>Run it with {@code zab-bench/run-pressure-bench.sh}.
 */
public final class PressureBench {
  static final String DOCS_BEGIN = "<!-- pressure-results:begin -->";
  static final String DOCS_END = "<!-- pressure-results:end -->";
  private static final List<String> SERVER_JVM = List.of("-Xms1536m", "-Xmx1536m", "-XX:+UseG1GC");
  private static final List<String> CLIENT_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");
  private static final int CATCH_UP_PAYLOAD = 64 * 1024;

  /** One measured scenario. */
  record Outcome(String scenario, LoadResult load, long newEpochs, long roleChanges, String notes) {}

  private final Args args;
  private final Path work;
  private final long warmupMs;
  private final long measureMs;
  private final int slowdown;
  private final long catchUpMib;
  private final LoadStep load;
  private final LoadStep burst;
  private final List<String> classpath;
  private final List<Outcome> outcomes = new ArrayList<>();

  private PressureBench(Args args) {
    this.args = args;
    this.work = Path.of(args.get("work", "zab-bench/target/pressure-work")).toAbsolutePath();
    this.warmupMs = args.getLong("warmup-ms", 3000);
    this.measureMs = args.getLong("measure-ms", 10000);
    this.slowdown = (int) args.getLong("slowdown", 100);
    this.catchUpMib = args.getLong("catch-up-mib", 200);
    this.load = LoadStep.parseList(args.get("load", "256x1024")).get(0);
    this.burst = LoadStep.parseList(args.get("burst", "64x1048576")).get(0);
    this.classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, "scenarios", "warmup-ms", "measure-ms", "slowdown", "catch-up-mib", "load",
        "burst", "work", "docs", "command");
    new PressureBench(args).run();
    System.exit(0);
  }

  private void run() throws Exception {
    List<String> scenarios = List.of(args.get("scenarios",
        "healthy,slow-follower-disk,slow-leader-disk,follower-bursts,lagging-follower").split(","));
    long started = System.nanoTime();
    try (ProcessGroup processes = new ProcessGroup()) {
      for (String scenario : scenarios) {
        log("=== " + scenario + " ===");
        Path dir = work.resolve(scenario);
        ClusterBench.deleteRecursively(dir);
        try (PressureCluster cluster = new PressureCluster(3, dir, classpath, SERVER_JVM, processes, 256)) {
          outcomes.add(run(scenario, cluster, processes, dir));
          Outcome o = outcomes.get(outcomes.size() - 1);
          log(String.format(Locale.ROOT, "%s: %.0f ops/s, %d new epochs, %d role changes, worst %.0f ms, %s",
              scenario, o.load().opsPerSec(), o.newEpochs(), o.roleChanges(), o.load().maxUs() / 1e3, o.notes()));
        } catch (Exception e) {
          log("FAILED " + scenario + ": " + e);
          e.printStackTrace();
          outcomes.add(new Outcome(scenario, null, -1, -1, "did not complete: " + e.getMessage()));
        }
      }
    }
    String markdown = report((System.nanoTime() - started) / 1e9);
    System.out.println(markdown);
    String docs = args.get("docs", "");
    if (!docs.isEmpty()) {
      ClusterBench.replaceBetween(Path.of(docs), markdown, DOCS_BEGIN, DOCS_END);
    }
  }

  private Outcome run(String scenario, PressureCluster cluster, ProcessGroup processes, Path dir) throws Exception {
    long leader = cluster.startAllAndAwaitLeader();
    long follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    long otherFollower = cluster.ids().stream().filter(id -> id != leader && id != follower).findFirst()
        .orElseThrow();
    String notes = "";
    List<Long> watched = cluster.ids();
    long warmup = warmupMs;
    switch (scenario) {
      case "healthy" -> { }
      case "slow-follower-disk" -> {
        cluster.slowDown(follower, slowdown);
        notes = "server " + follower + " (follower): log fsync x" + slowdown;
      }
      case "slow-leader-disk" -> {
        cluster.slowDown(leader, slowdown);
        notes = "server " + leader + " (leader): log fsync x" + slowdown;
      }
      case "follower-bursts", "lagging-follower" -> { }
      default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'; known: healthy,"
          + " slow-follower-disk, slow-leader-disk, follower-bursts, lagging-follower");
    }
    long target = -1;
    if (scenario.equals("lagging-follower")) {
      cluster.stop(follower);
      long written = writeThroughLeader(cluster.clientAddress(leader), catchUpMib << 20);
      target = cluster.value(leader, SubmitProtocol.APPLIED);
      cluster.start(follower); // it must receive what it missed while the load runs
      watched = List.of(leader, otherFollower);
      warmup = 0; // the catch-up is what is measured
      notes = "server " + follower + " missed " + (written >> 20) + " MiB (" + CATCH_UP_PAYLOAD / 1024
          + " KiB writes), restarted as the load starts";
    }
    long epochBefore = maxEpoch(cluster, watched);
    long changesBefore = settledChanges(cluster, watched);
    cluster.ids().forEach(id -> cluster.value(id, SubmitProtocol.FSYNC)); // the means start with the window

    Process burster = null;
    Path burstLog = dir.resolve("client-bursts.log");
    if (scenario.equals("follower-bursts")) {
      burster = startClient(processes, cluster.clientAddress(follower), "follower", burst, warmup, measureMs,
          burstLog);
    }
    Path loadLog = dir.resolve("client-load.log");
    Process client = startClient(processes, cluster.clientAddress(leader), "leader", load, warmup, measureMs, loadLog);
    String catchUp = "";
    if (target > 0) {
      catchUp = awaitCatchUp(cluster, follower, target, warmup + measureMs + 60_000);
    }
    LoadResult result = await(processes, client, loadLog);
    if (burster != null) {
      LoadResult b = await(processes, burster, burstLog);
      notes = String.format(Locale.ROOT, "%d x %d KiB in flight to server %d (follower) meanwhile: %.0f ops/s,"
          + " %d failed", burst.inFlight(), burst.payloadBytes() / 1024, follower, b.opsPerSec(), b.errors());
    }
    String fsyncs = cluster.ids().stream().map(id -> {
      long micros = cluster.value(id, SubmitProtocol.FSYNC);
      return id + (id == leader ? "L" : "") + ": " + (micros < 0 ? "–" : String.format(Locale.ROOT, "%.1f", micros / 1e3));
    }).collect(java.util.stream.Collectors.joining(", "));
    notes = (notes.isEmpty() ? "" : notes + "; ") + "mean log fsync ms " + fsyncs;
    long newEpochs = maxEpoch(cluster, watched) - epochBefore;
    long changes = sumChanges(cluster, watched) - changesBefore;
    if (!catchUp.isEmpty()) {
      notes += "; " + catchUp;
    }
    return new Outcome(scenario, result, newEpochs, changes, notes);
  }

  /** Writes {@code bytes} of 64 KiB payloads through {@code leader}, 32 in flight; returns the bytes acked. */
  private long writeThroughLeader(String leader, long bytes) throws Exception {
    byte[] payload = new byte[CATCH_UP_PAYLOAD];
    new Random(7).nextBytes(payload);
    Semaphore inFlight = new Semaphore(32);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (SubmitClient client = SubmitClient.connect(leader)) {
      for (long sent = 0; sent < bytes; sent += payload.length) {
        inFlight.acquire();
        client.submit(payload).whenComplete((r, e) -> {
          if (e == null && r.status() == SubmitProtocol.OK) {
            acked.addAndGet(payload.length);
          } else {
            failed.incrementAndGet();
          }
          inFlight.release();
        });
      }
      if (!inFlight.tryAcquire(32, 120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("writes of the catch-up data still pending after 120 s");
      }
    }
    log("wrote " + (acked.get() >> 20) + " MiB for the lagging follower to miss (" + failed.get() + " failed)");
    return acked.get();
  }

  /** Polls the restarted follower until it has applied {@code target}; says when, or that it did not. */
  private String awaitCatchUp(PressureCluster cluster, long follower, long target, long budgetMs)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    while (System.nanoTime() < deadline) {
      if (cluster.value(follower, SubmitProtocol.APPLIED) >= target) {
        return String.format(Locale.ROOT, "caught up in %.1f s after its restart", (System.nanoTime() - start) / 1e9);
      }
      Thread.sleep(100); // polling another process
    }
    return "had not caught up " + budgetMs / 1000 + " s after its restart";
  }

  private static long maxEpoch(PressureCluster cluster, List<Long> ids) {
    return ids.stream().mapToLong(id -> cluster.value(id, SubmitProtocol.EPOCH)).max().orElse(-1);
  }

  /** The role changes reported so far, once listeners have caught up with the election (they run async). */
  private static long settledChanges(PressureCluster cluster, List<Long> ids) throws InterruptedException {
    long seen = sumChanges(cluster, ids);
    for (int i = 0; i < 20; i++) {
      Thread.sleep(250); // polling other processes
      long now = sumChanges(cluster, ids);
      if (now == seen) {
        return now;
      }
      seen = now;
    }
    return seen;
  }

  private static long sumChanges(PressureCluster cluster, List<Long> ids) {
    return ids.stream().mapToLong(id -> Math.max(0, cluster.value(id, SubmitProtocol.CHANGES))).sum();
  }

  private Process startClient(ProcessGroup processes, String address, String mode, LoadStep step, long warmup,
      long measure, Path log) throws IOException {
    return processes.startJava(classpath, CLIENT_JVM, ZabLoadClient.class.getName(), List.of("--connect", address,
        "--mode", mode, "--steps", step.toString(), "--warmup-ms", Long.toString(warmup), "--measure-ms",
        Long.toString(measure)), log);
  }

  private LoadResult await(ProcessGroup processes, Process client, Path log) throws Exception {
    if (!client.waitFor(warmupMs + measureMs + 120_000, TimeUnit.MILLISECONDS)) {
      processes.stop(client);
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      LoadResult r = LoadResult.parseLine(line);
      if (r != null) {
        return r;
      }
    }
    throw new IllegalStateException("the load client produced no result; see " + log);
  }

  private String report(double seconds) {
    double healthy = outcomes.stream().filter(o -> o.scenario().equals("healthy") && o.load() != null)
        .mapToDouble(o -> o.load().opsPerSec()).findFirst().orElse(Double.NaN);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Command: `%s` (%.0f s; %d cpus, %s %s). Load: %d writes of %d B in flight"
            + " to the leader, %d s measured after %d s warm-up (the lagging follower: from its restart).%n%n",
        args.get("command", "java " + PressureBench.class.getName()), seconds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), load.inFlight(), load.payloadBytes(), measureMs / 1000, warmupMs / 1000));
    b.append("| scenario | writes/s | vs healthy | failovers (new epochs) | role changes | p99 ms | worst write ms"
        + " | failed writes | notes |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Outcome o : outcomes) {
      if (o.load() == null) {
        b.append("| ").append(o.scenario()).append(" | – | – | – | – | – | – | – | ").append(o.notes()).append(" |\n");
        continue;
      }
      LoadResult r = o.load();
      b.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %d | %d | %.1f | %.0f | %d | %s |%n", o.scenario(),
          r.opsPerSec(), r.opsPerSec() / healthy, o.newEpochs(), o.roleChanges(), r.p99Us() / 1e3, r.maxUs() / 1e3,
          r.errors(), o.notes()));
    }
    return b.toString();
  }

  private static void log(String message) {
    System.err.println("[pressure-bench] " + message);
  }
}
