package io.zab.bench.cluster;

import io.zab.bench.zk.ZkEnsemble;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command that measures, side by side on this machine: the raw group-commit fsync ceiling of the disk,
 * a 3-server Apache ZooKeeper 3.9.5 ensemble and a 3-server zab cluster (each server its own JVM, loopback,
 * fsync on), with the same closed-loop load client ({@link ClosedLoop}) in its own JVM. Writes
 * {@code cluster.json}, {@code cluster.md} and SVG charts to {@code --out}, and replaces the generated part of
 * {@code --docs} (between {@code <!-- cluster-results:begin -->} and {@code <!-- cluster-results:end -->}).
 *
 * <p>Run it with {@code zab-bench/run-cluster-bench.sh}, which builds everything first.
 */
public final class ClusterBench {

  static final String DOCS_BEGIN = "<!-- cluster-results:begin -->";
  static final String DOCS_END = "<!-- cluster-results:end -->";
  private static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
  private static final List<String> CLIENT_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");

  private final Args args;
  private final Path work;
  private final long warmupMs;
  private final long measureMs;
  private final List<String> benchClasspath;
  /** Server JVM options: the fixed heap settings plus {@code --server-jvm-extra} (e.g. a JFR recording). */
  private final List<String> serverJvm;
  private final List<LoadResult> results = new ArrayList<>();
  private final List<ProcessMemory> memory = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  private ClusterBench(Args args) {
    this.args = args;
    this.work = Path.of(args.get("work", "zab-bench/target/cluster-work")).toAbsolutePath();
    this.warmupMs = args.getLong("warmup-ms", 4000);
    this.measureMs = args.getLong("measure-ms", 8000);
    this.benchClasspath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> jvm = new ArrayList<>(SERVER_JVM);
    String extra = args.get("server-jvm-extra", "").trim();
    if (!extra.isEmpty()) {
      jvm.addAll(Arrays.asList(extra.split("\\s+")));
    }
    this.serverJvm = List.copyOf(jvm);
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, "out", "docs", "work", "zk-lib", "bench-classes", "systems", "steps",
        "extra-steps", "follower-steps", "warmup-ms", "measure-ms", "command", "server-jvm-extra");
    new ClusterBench(args).run();
    System.exit(0);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    List<String> systems = List.of(args.get("systems", "ceiling,zookeeper,zab").split(","));
    List<LoadStep> steps = LoadStep.parseList(args.get("steps", "1x1024,32x1024,256x1024"));
    List<LoadStep> leaderSteps = new ArrayList<>(steps);
    leaderSteps.addAll(LoadStep.parseList(args.get("extra-steps", "256x128,256x16384")));
    List<LoadStep> followerSteps = LoadStep.parseList(args.get("follower-steps", "256x1024"));
    deleteRecursively(work);
    Files.createDirectories(work);
    try (ProcessGroup processes = new ProcessGroup()) {
      for (String system : systems) {
        log("=== " + system + " ===");
        try {
          switch (system) {
            case "ceiling" -> runCeiling(processes, steps);
            case "zookeeper" -> {
              try (ZkEnsemble zk = new ZkEnsemble(3, work.resolve("zookeeper"),
                  Path.of(args.get("zk-lib", "zab-bench/target/zk-lib")).toAbsolutePath(),
                  Path.of(args.get("bench-classes", "zab-bench/target/classes")).toAbsolutePath(),
                  serverJvm, processes)) {
                runCluster(processes, zk, leaderSteps, followerSteps);
              }
            }
            case "zab" -> {
              try (ZabCluster zab = new ZabCluster(3, work.resolve("zab"), benchClasspath, serverJvm,
                  processes)) {
                runCluster(processes, zab, leaderSteps, followerSteps);
              }
            }
            default -> throw new IllegalArgumentException(
                "unknown system '" + system + "'; known: ceiling, zookeeper, zab");
          }
        } catch (Exception e) {
          String failure = system + ": " + e;
          failures.add(failure);
          log("FAILED " + failure);
          e.printStackTrace();
        }
      }
    }
    BenchReport report = new BenchReport(
        args.get("command", "java " + ClusterBench.class.getName()),
        environment(), warmupMs, measureMs, (System.nanoTime() - started) / 1e9,
        List.copyOf(results), List.copyOf(memory), List.copyOf(failures));
    Path out = Path.of(args.get("out", "docs/bench-results")).toAbsolutePath();
    Path docs = Path.of(args.get("docs", "docs/benchmarks-cluster.md")).toAbsolutePath();
    String prefix = docs.getParent().relativize(out).toString().replace(File.separatorChar, '/') + "/";
    String markdown = report.writeTo(out, prefix);
    updateDocs(docs, markdown);
    System.out.println(markdown);
  }

  private void runCeiling(ProcessGroup processes, List<LoadStep> steps) throws Exception {
    List<String> clientArgs = List.of("--dir", work.resolve("ceiling").toString(), "--steps",
        LoadStep.formatList(steps), "--warmup-ms", Long.toString(warmupMs), "--measure-ms",
        Long.toString(measureMs));
    // two results per step: C writer threads, and the closed loop with callbacks
    runClient(processes, benchClasspath, FsyncCeiling.class.getName(), clientArgs, 2 * steps.size(),
        work.resolve("ceiling.log"));
  }

  private void runCluster(ProcessGroup processes, ServerCluster cluster, List<LoadStep> leaderSteps,
      List<LoadStep> followerSteps) throws Exception {
    long t0 = System.nanoTime();
    cluster.startAndAwaitLeader();
    long leader = cluster.leaderId();
    log(String.format("%s: leader is server %d after %.1f s", cluster.system(), leader,
        (System.nanoTime() - t0) / 1e9));
    runLoad(processes, cluster, leader, "leader", leaderSteps);
    for (long id : cluster.serverIds()) {
      memory.add(ProcessMemory.of(cluster.system(), id, id == leader ? "leader" : "follower", cluster.pid(id)));
    }
    if (!followerSteps.isEmpty()) {
      long follower = cluster.serverIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
      runLoad(processes, cluster, follower, "follower", followerSteps);
    }
  }

  private void runLoad(ProcessGroup processes, ServerCluster cluster, long serverId, String mode,
      List<LoadStep> steps) throws Exception {
    List<String> clientArgs = List.of("--connect", cluster.clientAddress(serverId), "--mode", mode,
        "--steps", LoadStep.formatList(steps), "--warmup-ms", Long.toString(warmupMs),
        "--measure-ms", Long.toString(measureMs));
    runClient(processes, cluster.clientClasspath(), cluster.clientMainClass(), clientArgs, steps.size(),
        work.resolve(cluster.system() + "-client-" + mode + ".log"));
  }

  /** Runs a load client JVM to completion (bounded) and collects its result lines. */
  private void runClient(ProcessGroup processes, List<String> classpath, String mainClass, List<String> clientArgs,
      int stepCount, Path log) throws Exception {
    Process client = processes.startJava(classpath, CLIENT_JVM, mainClass, clientArgs, log);
    long budgetMs = stepCount * (warmupMs + measureMs + 30_000L) + 60_000L;
    boolean exited = client.waitFor(budgetMs, TimeUnit.MILLISECONDS);
    if (!exited) {
      processes.stop(client);
    }
    int found = 0;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      LoadResult result = LoadResult.parseLine(line);
      if (result != null) {
        results.add(result);
        found++;
        log(String.format("%s %s C=%d %dB: %.0f ops/s p50 %.2f ms p99 %.2f ms errors %d", result.system(),
            result.mode(), result.inFlight(), result.payloadBytes(), result.opsPerSec(), result.p50Us() / 1e3,
            result.p99Us() / 1e3, result.errors()));
      }
    }
    if (!exited || client.exitValue() != 0 || found != stepCount) {
      throw new IllegalStateException(String.format(
          "load client %s %s (exit %s) produced %d of %d results; see %s", mainClass,
          exited ? "exited" : "timed out", exited ? client.exitValue() : "-", found, stepCount, log));
    }
  }

  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    try {
      Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().ifPresent(l -> env.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
    } catch (IOException e) {
      env.put("cpu", "unknown");
    }
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    env.put("server heap", String.join(" ", serverJvm));
    return env;
  }

  static void updateDocs(Path docs, String markdown) throws IOException {
    replaceBetween(docs, markdown, DOCS_BEGIN, DOCS_END);
  }

  /** Replaces what {@code docs} holds between the two marker lines with {@code markdown}; no file, no change. */
  static void replaceBetween(Path docs, String markdown, String beginMarker, String endMarker) throws IOException {
    if (!Files.exists(docs)) {
      return;
    }
    String text = Files.readString(docs);
    int begin = text.indexOf(beginMarker);
    int end = text.indexOf(endMarker);
    if (begin < 0 || end < begin) {
      return;
    }
    Files.writeString(docs,
        text.substring(0, begin + beginMarker.length()) + "\n" + markdown + text.substring(end));
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void log(String message) {
    System.err.println("[cluster-bench] " + message);
  }
}
