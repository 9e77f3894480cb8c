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
import java.util.concurrent.CountDownLatch;

/**
 * One zab server of the cluster benchmark, in its own JVM: a {@link ZabNode} over the Netty transport
 * (plaintext, loopback) with fsync on and library defaults, driving a {@link CountingStateMachine}, plus
 * a {@link SubmitServer} client port so a load client in another JVM can submit writes.
 *
 * <p>Usage: {@code ZabBenchServer --id 1 --members 1=127.0.0.1:7001,2=127.0.0.1:7002,3=127.0.0.1:7003
 * --data-dir /path --client-port 8001}
 */
public final class ZabBenchServer {

  private ZabBenchServer() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "id", "members", "data-dir", "client-port");
    long id = Long.parseLong(args.require("id"));
    ZabNode node = ZabNode.builder()
        .serverId(id)
        .members(parseMembers(args.require("members")))
        .dataDir(Path.of(args.require("data-dir")))
        .transport(NettyTransport.factory(NettyConfig.builder("zab-bench").plaintext().build()))
        .stateMachine(new CountingStateMachine())
        .build();
    node.start();
    SubmitServer server = new SubmitServer((int) args.getLong("client-port", 0), new SubmitServer.Backend() {
      @Override
      public CompletableFuture<Long> submit(byte[] payload) {
        return node.submit(payload).thenApply(Zxid::value);
      }

      @Override
      public byte roleCode() {
        return (byte) node.role().ordinal();
      }

      @Override
      public long leaderId() {
        return node.leader().orElse(-1);
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception ignored) {
        // stopping anyway
      }
      node.close();
      stopped.countDown();
    }, "zab-bench-server-stop"));
    stopped.await();
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
