package io.zab.bench.cluster;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load run inside a server's JVM, writing through the embedding API itself (an application's own
 * thread calling {@code submit}): no client socket, no client JVM. At the opening and closing of the measurement
 * window it samples the CPU time of every server process of the cluster and the GC pauses of this JVM, so the
 * result says what the writes cost ({@link LoadResult.Cost}).
 *
 * <p>Spec (one line, space-separated {@code key=value}): {@code step=256x1024 warmup=4000 measure=8000
 * mode=in-process pids=101,102,103}; {@code pids} lists every server process (this one included). Optional:
 * {@code rate=5000} runs open loop at that many writes a second ({@link OpenLoop}, {@code step} then gives only the
 * payload size), and {@code histogram=true} appends the window's latencies to the result line ({@link HistogramText}).
 */
final class InProcessLoad {
  private InProcessLoad() {}

  /** Submits one payload; the future completes once the write is acknowledged (fails if it was not). */
  interface Submitter {
    CompletableFuture<?> submit(byte[] payload);

    /** Which API call the writes go through, for the server's log. */
    default String describe() {
      return "ZabNode.submit";
    }
  }

  /** Runs {@code spec}; its result line, with the latency histogram if the spec asks for it. */
  static String runToLine(String spec, Submitter submitter) throws InterruptedException {
    return runToLine(spec, submitter, null);
  }

  /** As {@link #runToLine(String, Submitter)}, also logging each slow write into {@code slow} (if not null). */
  static String runToLine(String spec, Submitter submitter, StallLog slow) throws InterruptedException {
    Histogram[] latencies = new Histogram[1];
    LoadResult result = run(spec, submitter, latencies, slow);
    return Boolean.parseBoolean(parse(spec).getOrDefault("histogram", "false"))
        ? result.toLine() + " " + HistogramText.encode(latencies[0])
        : result.toLine();
  }

  static LoadResult run(String spec, Submitter submitter) throws InterruptedException {
    return run(spec, submitter, new Histogram[1], null);
  }

  private static LoadResult run(String spec, Submitter submitter, Histogram[] latencies, StallLog slow)
      throws InterruptedException {
    Map<String, String> fields = parse(spec);
    LoadStep step = LoadStep.parseList(need(fields, "step")).get(0);
    long warmupMs = Long.parseLong(need(fields, "warmup"));
    long measureMs = Long.parseLong(need(fields, "measure"));
    List<Long> pids = new ArrayList<>();
    for (String pid : need(fields, "pids").split(",")) {
      pids.add(Long.parseLong(pid.trim()));
    }
    long self = ProcessHandle.current().pid();
    long[] cpuAtOpen = new long[pids.size()];
    long[] gcAtOpen = new long[2];
    long[] cpuUsed = new long[pids.size()];
    long[] gcUsed = new long[2];
    long[] allocated = new long[1];
    List<List<ThreadCpu.Sample>> threadsAtOpen = new ArrayList<>();
    List<List<ThreadCpu.Sample>> threadsAtClose = new ArrayList<>();
    ClosedLoop.Window window = new ClosedLoop.Window() {
      @Override
      public void opened() {
        sample(pids, cpuAtOpen, gcAtOpen);
        sampleThreads(pids, threadsAtOpen);
        allocated[0] = allocatedBytes();
        window("opened");
        if (slow != null) {
          slow.mark("opened");
        }
      }

      @Override
      public void closed() {
        sample(pids, cpuUsed, gcUsed);
        sampleThreads(pids, threadsAtClose);
        allocated[0] = allocatedBytes() - allocated[0];
        window("closed");
        if (slow != null) {
          slow.mark("closed");
        }
        for (int i = 0; i < cpuUsed.length; i++) {
          cpuUsed[i] = cpuUsed[i] < 0 || cpuAtOpen[i] < 0 ? -1 : cpuUsed[i] - cpuAtOpen[i];
        }
        gcUsed[0] -= gcAtOpen[0];
        gcUsed[1] -= gcAtOpen[1];
      }

      @Override
      public void measured(Histogram window) {
        latencies[0] = window.copy();
      }
    };
    ClosedLoop.AsyncWriter writer = slow == null
        ? (payload, done) -> submitter.submit(payload).whenComplete((ok, error) -> done.complete(error == null))
        : (payload, done) -> {
          long start = System.nanoTime();
          submitter.submit(payload).whenComplete((ok, error) -> {
            slow.ended(start);
            done.complete(error == null);
          });
        };
    String rate = fields.get("rate");
    LoadResult result = rate == null
        ? ClosedLoop.run("zab", fields.getOrDefault("mode", "in-process"), writer, step, warmupMs, measureMs, window)
        : OpenLoop.run("zab", new RateStep(Long.parseLong(rate), step.payloadBytes(), RateStep.DEFAULT_MAX_IN_FLIGHT),
            writer, warmupMs, measureMs, window);
    long ops = Math.max(1, result.ops());
    // the heap allocated in this JVM per write (load loop included), for comparing builds; into the server's log
    System.out.printf(Locale.ROOT, "in-process load: %.0f bytes allocated per write in this JVM (through %s)%n",
        (double) allocated[0] / ops, submitter.describe());
    long total = 0;
    long leader = -1;
    for (int i = 0; i < pids.size(); i++) {
      if (cpuUsed[i] < 0) {
        total = -1;
        break;
      }
      total += cpuUsed[i];
      if (pids.get(i) == self) {
        leader = cpuUsed[i];
      }
    }
    return result.withCost(new LoadResult.Cost(pids.size(), total < 0 ? -1 : total / 1e3 / ops,
        leader < 0 ? -1 : leader / 1e3 / ops, gcUsed[0], gcUsed[1],
        threadUse(pids, self, threadsAtOpen, threadsAtClose)));
  }

  /** Each server's use by thread kind over the window, the leader (this process) first; empty if not sampled. */
  private static List<ServerThreads> threadUse(List<Long> pids, long self, List<List<ThreadCpu.Sample>> open,
      List<List<ThreadCpu.Sample>> close) {
    if (open.size() != pids.size() || close.size() != pids.size()) {
      return List.of();
    }
    List<ServerThreads> servers = new ArrayList<>();
    int follower = 0;
    for (int i = 0; i < pids.size(); i++) {
      boolean leader = pids.get(i) == self;
      ServerThreads use = new ServerThreads(leader ? "leader" : "follower" + ++follower,
          ThreadCpu.byKind(open.get(i), close.get(i)));
      servers.add(leader ? 0 : servers.size(), use);
    }
    return servers;
  }

  /** Two snapshots per window, so the cost is a directory listing and two small reads per thread. */
  private static void sampleThreads(List<Long> pids, List<List<ThreadCpu.Sample>> into) {
    into.clear();
    for (long pid : pids) {
      into.add(ThreadCpu.sample(pid));
    }
  }

  /** Prints when the window opened or closed, so that GC logs with wall-clock times can be matched to it. */
  private static void window(String what) {
    System.out.println("in-process load: measurement window " + what + " at " + Instant.now());
  }

  /** Heap bytes allocated by this JVM's threads so far (those still alive), or -1 if not supported. */
  private static long allocatedBytes() {
    return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        ? t.getTotalThreadAllocatedBytes() : -1;
  }

  private static void sample(List<Long> pids, long[] cpu, long[] gc) {
    for (int i = 0; i < pids.size(); i++) {
      cpu[i] = ProcessCpu.nanos(pids.get(i));
    }
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, bean.getCollectionCount());
      millis += Math.max(0, bean.getCollectionTime());
    }
    gc[0] = count;
    gc[1] = millis;
  }

  static Map<String, String> parse(String spec) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : spec.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("load spec field '" + pair + "' is not key=value in: " + spec);
      }
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return fields;
  }

  private static String need(Map<String, String> fields, String key) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("load spec needs '" + key + "=': " + fields);
    }
    return value;
  }
}
