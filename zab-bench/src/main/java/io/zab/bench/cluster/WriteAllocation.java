package io.zab.bench.cluster;

import io.zab.Member;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.transport.netty.NettyConfig;
import io.zab.transport.netty.NettyTransport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes allocated per write, by server and thread: a 3-server ensemble in this JVM (Netty on loopback, real
 * fsync, library defaults, {@link CountingStateMachine}), {@code --in-flight} writes of {@code --payload} bytes
 * submitted on the leader through {@link InProcessSubmit}, closed loop. Allocation does not depend on how busy the
 * machine is, so unlike latency it compares two builds on a shared machine; it is also what sets how often the young
 * collector pauses.
 *
 * <p>Usage: {@code WriteAllocation --data-dir /tmp/x [--writes 400000] [--warmup 200000] [--in-flight 256]
 * [--payload 1024]}. Prints one line per thread group ({@code zab-<job>-<id>}, numbered suffixes merged) and the
 * total, in bytes per write.
 */
public final class WriteAllocation {
  private WriteAllocation() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, "data-dir", "writes", "warmup", "in-flight", "payload");
    Path dir = Path.of(args.require("data-dir"));
    long writes = args.getLong("writes", 400_000);
    long warmup = args.getLong("warmup", 200_000);
    int inFlight = (int) args.getLong("in-flight", 256);
    byte[] payload = new byte[(int) args.getLong("payload", 1024)];
    int[] ports = FreePorts.pick(3);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(new Member(i + 1, "127.0.0.1", ports[i]));
    }
    List<ZabNode> nodes = new ArrayList<>();
    try {
      for (Member m : members) {
        Path data = Files.createDirectories(dir.resolve(Long.toString(m.id())));
        ZabNode node = ZabNode.builder().serverId(m.id()).members(members).dataDir(data)
            .transport(NettyTransport.factory(NettyConfig.builder("zab-bench").plaintext().build()))
            .stateMachine(new CountingStateMachine()).build();
        node.start();
        nodes.add(node);
      }
      InProcessSubmit leader = InProcessSubmit.of(awaitLeader(nodes));
      System.out.println("writes through " + leader.describe());
      run(leader, payload, inFlight, warmup); // the first writes may fail while the leader still syncs
      Map<String, Long> before = allocatedByThread();
      long start = System.nanoTime();
      double openedAt = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
      long failed = run(leader, payload, inFlight, writes);
      if (failed > 0) {
        throw new IllegalStateException(failed + " of the measured writes failed");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Long> after = allocatedByThread();
      System.out.printf("window: JVM uptime %.3f s to %.3f s (to match GC log lines)%n", openedAt,
          ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
      report(before, after, writes, seconds);
    } finally {
      for (ZabNode n : nodes) {
        n.close();
      }
    }
  }

  private static ZabNode awaitLeader(List<ZabNode> nodes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ZabNode n : nodes) {
        if (n.role() == Role.LEADING) {
          return n;
        }
      }
      Thread.sleep(50); // a tool, not a test: polls for the election
    }
    throw new IllegalStateException("no leader within 30 s");
  }

  /** {@code count} writes, at most {@code inFlight} at a time; returns how many failed. */
  private static long run(InProcessSubmit leader, byte[] payload, int inFlight, long count)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong failed = new AtomicLong();
    for (long i = 0; i < count; i++) {
      slots.acquire();
      leader.submit(payload).whenComplete((z, e) -> {
        if (e != null) {
          failed.incrementAndGet();
        }
        slots.release();
      });
    }
    slots.acquire(inFlight);
    return failed.get();
  }

  /** Allocated bytes of every live thread, summed by name with numbered suffixes merged. */
  private static Map<String, Long> allocatedByThread() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<String, Long> byName = new TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      var info = threads.getThreadInfo(ids[i]);
      if (info != null && bytes[i] >= 0) {
        byName.merge(group(info.getThreadName()), bytes[i], Long::sum);
      }
    }
    return byName;
  }

  /** {@code zab-netty-2-3-1} and {@code zab-netty-2-4-1} are one group: the job and the server id. */
  static String group(String threadName) {
    return threadName.replaceAll("^(zab-[a-z-]+?-\\d+)(-\\d+)+$", "$1");
  }

  private static void report(Map<String, Long> before, Map<String, Long> after, long writes, double seconds) {
    System.out.printf("%d writes in %.1f s (%.0f/s); allocated bytes per write by thread:%n", writes, seconds,
        writes / seconds);
    long total = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      total += delta;
      if (delta / writes > 0) {
        System.out.printf("  %-28s %8.1f%n", e.getKey(), (double) delta / writes);
      }
    }
    System.out.printf("  %-28s %8.1f%n", "total", (double) total / writes);
  }
}
