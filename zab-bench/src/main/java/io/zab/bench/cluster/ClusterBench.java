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
  /**
   * No -Xms: the heap grows only as far as the server's allocation makes G1 grow it, so the resident set says what
   * the server needs (with -Xms1g every server shows about 1 GiB once G1 has touched its heap). Native memory
   * tracking (summary level, both systems alike) lets the memory table break the resident set down.
   */
  private static final List<String> SERVER_JVM =
      List.of("-Xmx1g", "-XX:+UseG1GC", "-XX:NativeMemoryTracking=summary");
  private static final List<String> CLIENT_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");

  static final long DEFAULT_WARMUP_MS = 20_000;

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
  /** zab at one in flight against its floor, measured in interleaved slices ({@link InterleavedFloor}). */
  private final List<FloorSlices> floors = new ArrayList<>();
  /** The zab classpath with zab-core and zab-transport-netty of the baseline build, or null. */
  private final List<String> baselineClasspath;

  private ClusterBench(Args args) {
    this.args = args;
    this.work = Path.of(args.get("work", "zab-bench/target/cluster-work")).toAbsolutePath();
    // 20 s: with 3-4 s the three server JVMs on 2 cores still spent 13-19% of a core each in the JIT compiler
    // threads during the window and zab reached less than half its steady throughput; ThreadReport flags any
    // window whose JIT share is still above 10%
    this.warmupMs = args.getLong("warmup-ms", DEFAULT_WARMUP_MS);
    this.measureMs = args.getLong("measure-ms", 8000);
    this.benchClasspath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> jvm = new ArrayList<>(SERVER_JVM);
    String extra = args.get("server-jvm-extra", "").trim();
    if (!extra.isEmpty()) {
      jvm.addAll(Arrays.asList(extra.split("\\s+")));
    }
    this.serverJvm = List.copyOf(jvm);
    String baseline = args.get("baseline-jars", "").trim();
    this.baselineClasspath = baseline.isEmpty() ? null : withJars(benchClasspath, baseline.split(File.pathSeparator));
  }

  /** {@code classpath} with each of {@code jars} in place of the entry of the same artifact (name before the version). */
  static List<String> withJars(List<String> classpath, String[] jars) {
    List<String> out = new ArrayList<>(classpath);
    for (String jar : jars) {
      String artifact = artifactOf(jar);
      boolean replaced = false;
      for (int i = 0; i < out.size(); i++) {
        if (artifact.equals(artifactOf(out.get(i)))) {
          out.set(i, jar);
          replaced = true;
        }
      }
      if (!replaced) {
        throw new IllegalArgumentException("baseline jar " + jar + " replaces nothing on the classpath " + classpath);
      }
    }
    return List.copyOf(out);
  }

  private static String artifactOf(String path) {
    String name = Path.of(path).getFileName().toString();
    int version = name.indexOf("-0.");
    return version > 0 ? name.substring(0, version) : name;
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, "out", "docs", "work", "zk-lib", "bench-classes", "systems", "steps",
        "extra-steps", "follower-steps", "inproc-steps", "sizes", "scale-steps", "warmup-ms", "measure-ms",
        "command", "server-jvm-extra", "baseline-jars", "rate-steps", "floor-step", "floor-slice-ms", "floor-rounds",
        "disk-quorum-steps", "ceiling-steps");
    new ClusterBench(args).run();
    System.exit(0);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    String loadAtStart = InterleavedFloor.loadAverage();
    List<String> systems = List.of(args.get("systems", "ceiling,zookeeper,zab").split(","));
    List<LoadStep> steps = LoadStep.parseList(args.get("steps", "1x1024,32x1024,256x1024"));
    List<LoadStep> leaderSteps = new ArrayList<>(steps);
    leaderSteps.addAll(LoadStep.parseList(args.get("extra-steps", "256x128,256x16384")));
    List<LoadStep> followerSteps = LoadStep.parseList(args.get("follower-steps", "256x1024"));
    List<LoadStep> inProcessSteps = LoadStep.parseList(args.get("inproc-steps", "1x1024,32x1024,256x1024"));
    List<LoadStep> scaleSteps = LoadStep.parseList(args.get("scale-steps", "1x1024,256x1024"));
    List<RateStep> rateSteps = RateStep.parseList(args.get("rate-steps", "5000x1024"));
    List<Integer> sizes = List.of(args.get("sizes", "3,5,7").split(",")).stream().map(String::trim)
        .filter(x -> !x.isEmpty()).map(Integer::parseInt).toList();
    deleteRecursively(work);
    Files.createDirectories(work);
    try (ProcessGroup processes = new ProcessGroup()) {
      for (String system : systems) {
        log("=== " + system + " ===");
        try {
          switch (system) {
            case "ceiling" -> runCeiling(processes, // --ceiling-steps: e.g. the group-commit ceiling at 256 alone
                LoadStep.parseList(args.get("ceiling-steps", LoadStep.formatList(steps))));
            case "zookeeper" -> {
              try (ZkEnsemble zk = new ZkEnsemble(3, work.resolve("zookeeper"),
                  Path.of(args.get("zk-lib", "zab-bench/target/zk-lib")).toAbsolutePath(),
                  Path.of(args.get("bench-classes", "zab-bench/target/classes")).toAbsolutePath(),
                  serverJvm, processes)) {
                runCluster(processes, zk, leaderSteps, followerSteps);
              }
            }
            case "zab", "zab-base", "zab-1jvm", "zab-prealloc", "zab-noprealloc", "zab-recycle", "zab-norecycle" -> {
              List<String> classpath = system.equals("zab-base") ? baselineClasspath : benchClasspath;
              if (classpath == null) {
                throw new IllegalArgumentException("system zab-base needs --baseline-jars");
              }
              for (int size : sizes) {
                Path dir = work.resolve(system + "-" + size + "-" + System.nanoTime());
                // zab-prealloc / zab-noprealloc, zab-recycle / zab-norecycle: this tree with logPreallocation /
                // logRecycling on / off, whatever the default
                List<String> serverArgs = switch (system) {
                  case "zab-prealloc" -> List.of("--log-preallocation", "true");
                  case "zab-noprealloc" -> List.of("--log-preallocation", "false");
                  case "zab-recycle" -> List.of("--log-recycling", "true"); // and preallocation as the default
                  case "zab-norecycle" -> List.of("--log-recycling", "false");
                  default -> List.of();
                };
                try (ZabCluster zab = new ZabCluster(size, dir, classpath, serverJvm, processes, system,
                    system.equals("zab-1jvm"), serverArgs)) {
                  if (size == 3) {
                    runCluster(processes, zab, leaderSteps, followerSteps, inProcessSteps, rateSteps);
                  } else {
                    runCluster(processes, zab, List.of(), List.of(), scaleSteps, rateSteps);
                  }
                }
              }
            }
            default -> throw new IllegalArgumentException(
                "unknown system '" + system + "'; known: ceiling, zookeeper, zab, zab-base, zab-1jvm, zab-prealloc, zab-noprealloc, zab-recycle, zab-norecycle");
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
    String floorsMarkdown = FloorReport.render(List.copyOf(results), List.copyOf(floors),
        loadAtStart + " → " + InterleavedFloor.loadAverage());
    String markdown = report.writeTo(out, prefix) + floorsMarkdown;
    Files.writeString(out.resolve("floors.md"), floorsMarkdown);
    updateDocs(docs, markdown);
    System.out.println(markdown);
  }

  private void runCeiling(ProcessGroup processes, List<LoadStep> steps) throws Exception {
    List<String> clientArgs = List.of("--dir", work.resolve("ceiling").toString(), "--steps",
        LoadStep.formatList(steps), "--warmup-ms", Long.toString(warmupMs), "--measure-ms",
        Long.toString(measureMs));
    // the two floors, then two results per step: C writer threads, and the closed loop with callbacks
    runClient(processes, benchClasspath, FsyncCeiling.class.getName(), clientArgs, 2 + 2 * steps.size(),
        work.resolve("ceiling.log"));
  }

  private void runCluster(ProcessGroup processes, ServerCluster cluster, List<LoadStep> leaderSteps,
      List<LoadStep> followerSteps) throws Exception {
    runCluster(processes, cluster, leaderSteps, followerSteps, List.of(), List.of());
  }

  /**
   * Writes through a load client JVM to the leader ({@code leaderSteps}), then inside the leader's JVM
   * ({@code inProcessSteps}, zab only; then, on 3 servers, the disk's own quorum tail while the cluster idles and
   * one in flight interleaved with its floor; then the open-loop {@code rateSteps}), takes the servers' memory, then writes through a follower.
   */
  private void runCluster(ProcessGroup processes, ServerCluster cluster, List<LoadStep> leaderSteps,
      List<LoadStep> followerSteps, List<LoadStep> inProcessSteps, List<RateStep> rateSteps) throws Exception {
    long t0 = System.nanoTime();
    cluster.startAndAwaitLeader();
    long leader = cluster.leaderId();
    log(String.format("%s: %d servers, leader is server %d after %.1f s", cluster.system(),
        cluster.serverIds().size(), leader, (System.nanoTime() - t0) / 1e9));
    if (!leaderSteps.isEmpty()) {
      runLoad(processes, cluster, leader, "leader", leaderSteps);
    }
    if (cluster instanceof ZabCluster zab) {
      if (!inProcessSteps.isEmpty()) {
        runInProcess(zab, leader, inProcessSteps);
      }
      if (zab.serverIds().size() == 3) {
        runDiskQuorum(processes, zab.system());
      }
      runFloor(processes, zab, leader);
      runRateSteps(zab, leader, rateSteps);
    }
    for (long id : cluster.serverIds()) {
      memory.add(ProcessMemory.of(cluster.system(), cluster.serverIds().size(), id,
          id == leader ? "leader" : "follower", cluster.pid(id), () -> cluster.memoryReport(id)));
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

  /** Runs each step inside the leader's JVM (LOAD requests on its client port), one after the other. */
  private void runInProcess(ZabCluster cluster, long leader, List<LoadStep> steps) throws Exception {
    String pids = cluster.serverIds().stream().map(id -> Long.toString(cluster.pid(id))).distinct()
        .collect(java.util.stream.Collectors.joining(","));
    try (SubmitClient client = SubmitClient.connect(cluster.clientAddress(leader))) {
      for (LoadStep step : steps) {
        String spec = "step=" + step + " warmup=" + warmupMs + " measure=" + measureMs + " mode=in-process pids="
            + pids;
        SubmitProtocol.Response response = client.load(spec)
            .get(warmupMs + measureMs + 60_000L, TimeUnit.MILLISECONDS);
        LoadResult parsed = LoadResult.parseLine(response.text());
        if (parsed == null) {
          throw new IllegalStateException("in-process load " + spec + " on server " + leader + " failed: "
              + response.text());
        }
        LoadResult result = new LoadResult(cluster.system(), parsed.mode(), parsed.inFlight(),
            parsed.payloadBytes(), parsed.ops(), parsed.seconds(), parsed.errors(), parsed.p50Us(), parsed.p99Us(),
            parsed.p999Us(), parsed.maxUs(), parsed.cost());
        results.add(result);
        log(String.format("%s in-process %d servers C=%d %dB: %.0f ops/s p50 %.2f ms p99 %.2f ms p99.9 %.2f ms"
                + " errors %d; cpu %.1f us/write (leader %.1f), gc %d pauses %d ms", result.system(),
            parsed.cost().servers(), result.inFlight(), result.payloadBytes(), result.opsPerSec(),
            result.p50Us() / 1e3, result.p99Us() / 1e3, result.p999Us() / 1e3, result.errors(),
            parsed.cost().cpuUsPerOp(), parsed.cost().leaderCpuUsPerOp(), parsed.cost().gcPauses(),
            parsed.cost().gcPauseMs()));
        ThreadReport.warnings(List.of(result)).forEach(w -> log("WARNING " + w));
      }
    }
  }

  /** zab at one in flight interleaved with its floor ({@code --floor-step}, "" to skip), on 3 servers. */
  private void runFloor(ProcessGroup processes, ZabCluster cluster, long leader) throws Exception {
    List<LoadStep> step = LoadStep.parseList(args.get("floor-step", "1x1024"));
    if (step.isEmpty() || cluster.serverIds().size() != 3) {
      return;
    }
    long sliceMs = args.getLong("floor-slice-ms", 500);
    int rounds = (int) args.getLong("floor-rounds", 16);
    FloorSlices floor = InterleavedFloor.run(processes, benchClasspath, work.resolve("floor-" + cluster.system()),
        cluster, leader, pidsOf(cluster), step.get(0), sliceMs, rounds, warmupMs);
    floors.add(floor);
    log(String.format("%s one in flight vs floor, %d rounds of %d ms: median ratio %.2f, pooled p50 fsync %.3f"
            + " + round trip %.3f ms, zab %.3f ms", cluster.system(), rounds, sliceMs, floor.medianRatio(),
        floor.fsync().getValueAtPercentile(50) / 1e3, floor.roundTrip().getValueAtPercentile(50) / 1e3,
        floor.zab().getValueAtPercentile(50) / 1e3));
  }

  /** Each open-loop step ({@code --rate-steps}) inside the leader's JVM, with the servers' CPU per write. */
  private void runRateSteps(ZabCluster cluster, long leader, List<RateStep> steps) throws Exception {
    try (SubmitClient client = SubmitClient.connect(cluster.clientAddress(leader))) {
      for (RateStep step : steps) {
        String spec = "step=1x" + step.payloadBytes() + " rate=" + step.perSecond() + " warmup=" + warmupMs
            + " measure=" + measureMs + " pids=" + pidsOf(cluster);
        String line = client.load(spec).get(warmupMs + measureMs + 90_000L, TimeUnit.MILLISECONDS).text();
        LoadResult parsed = LoadResult.parseLine(line);
        if (parsed == null) {
          throw new IllegalStateException("open-loop load " + spec + " on server " + leader + " failed: " + line);
        }
        LoadResult result = new LoadResult(cluster.system(), parsed.mode(), parsed.inFlight(), parsed.payloadBytes(),
            parsed.ops(), parsed.seconds(), parsed.errors(), parsed.p50Us(), parsed.p99Us(), parsed.p999Us(),
            parsed.maxUs(), parsed.cost());
        results.add(result);
        log(String.format("%s %d servers %s: %.0f ops/s p50 %.2f ms p99 %.2f ms errors %d; cpu %.1f us/write"
                + " (leader %.1f)", result.system(), parsed.cost().servers(), result.mode(), result.opsPerSec(),
            result.p50Us() / 1e3, result.p99Us() / 1e3, result.errors(), parsed.cost().cpuUsPerOp(),
            parsed.cost().leaderCpuUsPerOp()));
      }
    }
  }

  /**
   * Three logs group-committing at once on this disk ({@link QuorumDiskCeiling}), closed loop and at the rate
   * {@code system} has just reached in its leader's JVM, right after that step ({@code --disk-quorum-steps}, "" to
   * skip), while its cluster idles.
   */
  private void runDiskQuorum(ProcessGroup processes, String system) throws Exception {
    List<LoadStep> steps = LoadStep.parseList(args.get("disk-quorum-steps", "1x1024,256x1024"));
    if (steps.isEmpty()) {
      return;
    }
    Path dir = work.resolve(QuorumDiskCeiling.SYSTEM + "-" + system);
    String dirs = String.join(",", dir.resolve("server1").toString(), dir.resolve("server2").toString(),
        dir.resolve("server3").toString());
    // each step also at the rate the system reached at that step (in flight, size), in its leader's JVM on 3
    // servers, just before
    for (LoadStep step : steps) {
      long rate = results.stream()
          .filter(r -> r.system().equals(system) && r.mode().equals(BenchReport.IN_PROCESS)
              && r.cost().servers() == 3 && r.inFlight() == step.inFlight()
              && r.payloadBytes() == step.payloadBytes())
          .mapToLong(r -> Math.round(r.opsPerSec())).reduce((first, last) -> last).orElse(0);
      List<String> clientArgs = new ArrayList<>(List.of("--dirs", dirs, "--steps", LoadStep.formatList(List.of(step)),
          "--warmup-ms", Long.toString(warmupMs), "--measure-ms", Long.toString(measureMs)));
      if (rate > 0) {
        clientArgs.addAll(List.of("--rate", Long.toString(rate)));
      }
      runClient(processes, benchClasspath, QuorumDiskCeiling.class.getName(), clientArgs, rate > 0 ? 4 : 2,
          work.resolve("disk-quorum-" + system + "-" + step.inFlight() + ".log"));
    }
  }

  private static String pidsOf(ZabCluster cluster) {
    return cluster.serverIds().stream().map(id -> Long.toString(cluster.pid(id))).distinct()
        .collect(java.util.stream.Collectors.joining(","));
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
