package io.zab.examples.server;

import io.zab.Member;
import io.zab.ZabNode;
import io.zab.transport.netty.NettyConfig;
import io.zab.transport.netty.NettyTransport;
import io.zab.transport.netty.TlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The example node program: one zab server (Netty transport) with the key-value/session/lock state machine
 * and its HTTP API. Runs until killed; SIGTERM closes the node cleanly.
 *
 * <pre>
 * java -cp 'zab-examples/target/zab-examples.jar:zab-examples/target/lib/*' io.zab.examples.server.ZabKvServer \
 *   --id 1 --peers 1=127.0.0.1:2881,2=127.0.0.1:2882,3=127.0.0.1:2883 --http-port 8081 --data-dir data/node-1
 * </pre>
 */
@Command(name = "zab-kv-server", mixinStandardHelpOptions = true,
    description = "One node of the zab example key-value store with sessions and locks.")
public final class ZabKvServer implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ZabKvServer.class);

  @Option(names = "--id", required = true, description = "this server's id (one of --peers)")
  long id;

  @Option(names = "--peers", required = true, description = "every server: ID=HOST:PORT,... (zab peer ports)")
  String peers;

  @Option(names = "--http-port", required = true, description = "port of the HTTP API")
  int httpPort;

  @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "interface of the HTTP API")
  String httpHost;

  @Option(names = "--data-dir", required = true, description = "where this server keeps its log and snapshots")
  Path dataDir;

  @Option(names = "--cluster-id", defaultValue = "zab-example", description = "peers of another cluster are refused")
  String clusterId;

  @Option(names = "--tick-ms", defaultValue = "50", description = "zab tick; election/sync timeouts are multiples")
  long tickMillis;

  @Option(names = "--snapshot-every", defaultValue = "10000", description = "txns between snapshots")
  int snapshotEvery;

  @Option(names = "--session-tick-ms", defaultValue = "200", description = "how often the leader ticks the session clock")
  long sessionTickMillis;

  @Option(names = "--tls-cert", description = "PEM certificate chain of this server (CN zab-server-<id>); with"
      + " --tls-key and --tls-ca enables mutual TLS between servers (default: plaintext)")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert")
  Path tlsKey;

  @Option(names = "--tls-ca", description = "PEM bundle of the CA(s) that sign every server's certificate")
  Path tlsCa;

  public static void main(String[] args) {
    int code = new CommandLine(new ZabKvServer()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    List<Member> members = PeerList.parse(peers);
    if (members.stream().noneMatch(m -> m.id() == id)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--id " + id + " is not in --peers " + peers);
    }
    NettyConfig transport = transportConfig();
    KvNode.Settings settings = new KvNode.Settings(id, httpHost, httpPort, Duration.ofMillis(sessionTickMillis),
        Duration.ofMillis(100), Duration.ofSeconds(10));
    KvNode node = KvNode.start(settings, sm -> {
      ZabNode zab = ZabNode.builder()
          .serverId(id)
          .members(members)
          .dataDir(dataDir)
          .transport(NettyTransport.factory(transport))
          .stateMachine(sm)
          .tickMillis(tickMillis)
          .snapshotEveryTxns(snapshotEvery)
          .build();
      zab.addListener(e -> log.info("server {} is {} in epoch {} (leader {}, last zxid {})", e.serverId(), e.role(),
          e.epoch(), e.leader(), e.lastZxid()));
      try {
        zab.start();
      } catch (IOException e) {
        throw new UncheckedIOException("server " + id + " cannot start from " + dataDir + ": " + e.getMessage(), e);
      }
      return new ZabNodeLog(zab);
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("server {} shutting down", id);
      node.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  /** Plaintext unless all three TLS files are given; some but not all of them is a usage error. */
  NettyConfig transportConfig() {
    NettyConfig.Builder b = NettyConfig.builder(clusterId);
    int given = (tlsCert != null ? 1 : 0) + (tlsKey != null ? 1 : 0) + (tlsCa != null ? 1 : 0);
    if (given == 3) {
      b.tls(new TlsConfig(tlsCert, tlsKey, tlsCa));
    } else if (given != 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--tls-cert, --tls-key and --tls-ca go together: give all three for TLS or none for plaintext");
    }
    return b.build();
  }
}
