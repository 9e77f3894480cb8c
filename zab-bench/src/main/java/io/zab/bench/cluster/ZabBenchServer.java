package io.zab.bench.cluster;

import io.zab.Member;
import io.zab.Zxid;
import io.zab.ZabNode;
import io.zab.transport.netty.NettyConfig;
import io.zab.transport.netty.NettyTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One zab server of the cluster benchmark, in its own JVM: a {@link ZabNode} over the Netty transport
 * (plaintext, loopback) with fsync on and library defaults, driving a {@link CountingStateMachine}, plus
 * a {@link SubmitServer} client port so a load client in another JVM can submit writes.
 *
 * <p>Usage: {@code ZabBenchServer --id 1 --members 1=127.0.0.1:7001,2=127.0.0.1:7002,3=127.0.0.1:7003
 * --data-dir /path --client-port 8001 [--retain-mib 256]}. With {@code --retain-mib} the state holds the newest
 * that many MiB of payloads ({@link RetainingStateMachine}) instead of counting them. The log's fsyncs can be
 * slowed down at run time through the client port (SLOWDOWN, the pressure benchmark's slow disk). A LOAD request
 * runs a closed-loop load inside this JVM through the embedding API ({@link InProcessLoad}, {@link
 * InProcessSubmit}), MEMORY reports where this JVM's memory goes ({@link MemoryReport}). With {@code --ids 1,2,3
 * --client-ports a,b,c} instead of {@code --id} and {@code --client-port} the whole ensemble runs in this one JVM (each
 * node over its own Netty transport on loopback, its own data directory {@code data-dir/<id>}, real fsync): the memory
 * an embedding service with all replicas in one process would need.
 */
public final class ZabBenchServer {

  private ZabBenchServer() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "id", "ids", "members", "data-dir", "client-port", "client-ports", "retain-mib",
        "log-preallocation", "log-recycling");
    long retainMib = args.getLong("retain-mib", 0);
    String preallocation = args.get("log-preallocation", "");
    String recycling = args.get("log-recycling", "");
    List<Member> members = parseMembers(args.require("members"));
    List<AutoCloseable> servers = new ArrayList<>();
    // one log of each kind per process, whatever the number of servers in it (null unless the environment asks)
    Stalls stalls = new Stalls(StallLog.fromEnvironment("writes"), StallLog.fromEnvironment("fsyncs"));
    if (args.get("ids", "").isEmpty()) {
      servers.add(start(Long.parseLong(args.require("id")), members, Path.of(args.require("data-dir")),
          (int) args.getLong("client-port", 0), retainMib, preallocation, recycling, stalls));
    } else {
      // the whole ensemble in this JVM (--ids 1,2,3 --client-ports a,b,c): each node in data-dir/<id>
      String[] ids = args.require("ids").split(",");
      String[] ports = args.require("client-ports").split(",");
      for (int i = 0; i < ids.length; i++) {
        long id = Long.parseLong(ids[i].trim());
        servers.add(start(id, members, Path.of(args.require("data-dir")).resolve(Long.toString(id)),
            Integer.parseInt(ports[i].trim()), retainMib, preallocation, recycling, stalls));
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable server : servers) {
        try {
          server.close();
        } catch (Exception ignored) {
          // stopping anyway
        }
      }
      stopped.countDown();
    }, "zab-bench-server-stop"));
    stopped.await();
  }

  /** The slow writes of an in-process load and the slow log fsyncs, each null when not logged (a tail diagnostic). */
  private record Stalls(StallLog writes, StallLog fsyncs) {}

  /**
   * Starts server {@code id} with its client port; closing it closes both. {@code preallocation} "true" or "false"
   * sets {@code logPreallocation}, empty keeps the library's default; {@code recycling} likewise for {@code
   * logRecycling} (empty: a baseline jar without the setting runs too).
   */
  private static AutoCloseable start(long id, List<Member> members, Path dataDir, int clientPort, long retainMib,
      String preallocation, String recycling, Stalls stalls) throws Exception {
    SlowSyncer disk = new SlowSyncer(stalls.fsyncs());
    AtomicLong roleChanges = new AtomicLong();
    LibraryMemory library = new LibraryMemory();
    ZabNode.Builder builder = ZabNode.builder();
    if (!preallocation.isEmpty()) {
      builder.logPreallocation(Boolean.parseBoolean(preallocation));
    }
    if (!recycling.isEmpty()) {
      builder.logRecycling(Boolean.parseBoolean(recycling));
    }
    String segmentMib = System.getenv("ZAB_BENCH_LOG_SEGMENT_MIB"); // smaller segments: more rolls in a short run
    if (segmentMib != null && !segmentMib.isEmpty()) {
      builder.logSegmentBytes(Long.parseLong(segmentMib) << 20);
    }
    String snapshotEvery = System.getenv("ZAB_BENCH_SNAPSHOT_EVERY_TXNS"); // how snapshot cadence moves the tail
    if (snapshotEvery != null && !snapshotEvery.isEmpty()) {
      builder.snapshotEveryTxns(Integer.parseInt(snapshotEvery));
    }
    ZabNode node = builder
        .serverId(id)
        .members(members)
        .dataDir(dataDir)
        .transport(NettyTransport.factory(NettyConfig.builder("zab-bench").plaintext().build()))
        .stateMachine(retainMib > 0 ? new RetainingStateMachine(retainMib << 20) : new CountingStateMachine())
        .fileSyncer(disk)
        .metrics(library)
        .build();
    node.addListener(change -> roleChanges.incrementAndGet());
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    ExecutorService loadThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "in-process-load");
      t.setDaemon(true);
      return t;
    });
    node.start();
    library.start(node::status);
    InProcessSubmit inProcess = InProcessSubmit.of(node);
    SubmitServer server = new SubmitServer(clientPort, new SubmitServer.Backend() {
      @Override
      public CompletableFuture<Long> submit(byte[] payload) {
        return node.submit(payload).whenComplete((z, e) -> {
          if (e != null) {
            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
          }
        }).thenApply(Zxid::value);
      }

      @Override
      public byte roleCode() {
        return (byte) node.role().ordinal();
      }

      @Override
      public long leaderId() {
        return node.leader().orElse(-1);
      }

      @Override
      public long epoch() {
        return node.epoch();
      }

      @Override
      public long roleChanges() {
        return roleChanges.get();
      }

      @Override
      public long appliedZxid() {
        return node.appliedZxid().value();
      }

      @Override
      public long meanFsyncMicros() {
        return disk.takeMeanMicros();
      }

      @Override
      public boolean slowDown(int factor) {
        disk.factor(factor);
        return true;
      }

      @Override
      public CompletableFuture<String> load(String spec) {
        return CompletableFuture.supplyAsync(() -> {
          try {
            return InProcessLoad.runToLine(spec, inProcess, stalls.writes());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }, loadThread);
      }

      @Override
      public String memory() {
        return MemoryReport.render(MemoryReport.take(library.report(node::status)));
      }
    });
    return () -> {
      try {
        server.close();
      } finally {
        node.close();
        if (!failures.isEmpty()) {
          System.err.println("server " + id + ": failed submits by cause: " + failures);
        }
      }
    };
  }

  /** Parses {@code 1=host:port,2=host:port}. */
  static List<Member> parseMembers(String text) {
    List<Member> members = new ArrayList<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      int colon = part.lastIndexOf(':');
      if (eq <= 0 || colon <= eq) {
        throw new IllegalArgumentException("member '" + part + "' must look like <id>=<host>:<port>");
      }
      members.add(new Member(Long.parseLong(part.substring(0, eq)), part.substring(eq + 1, colon),
          Integer.parseInt(part.substring(colon + 1))));
    }
    return members;
  }
}
