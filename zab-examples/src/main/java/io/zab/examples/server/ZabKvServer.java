package io.zab.examples.server;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.ZabListener;
import io.zab.Timeouts;
import io.zab.ZabNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zab.examples.Version;
import io.zab.metrics.micrometer.MicrometerZabMetrics;
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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The example node program: one zab server (Netty transport) with the key-value/session/lock state machine
 * and its HTTP API. Runs until killed; SIGTERM closes the node cleanly (exit 0). If its zab node stops on its
 * own after a fatal error (an fsync failure, say) the process exits with {@value #EXIT_NODE_FAILED}, so a
 * supervisor restarts it; a start that fails (a port in use, a damaged data directory) prints one line and
 * exits 1.
 *
 * <pre>
 * java -cp 'zab-examples/target/zab-examples.jar:zab-examples/target/lib/*' io.zab.examples.server.ZabKvServer \
 *   --id 1 --peers 1=127.0.0.1:2881,2=127.0.0.1:2882,3=127.0.0.1:2883 --http-port 8081 --data-dir data/node-1
 * </pre>
 *
 * <p>A new server joining a running ensemble is started with the ensemble's current voters as {@code --peers} and
 * itself among {@code --observers}; it waits, taking no part, until a member adds it
 * ({@code zab-cli add-member 4 127.0.0.1:2884}):
 *
 * <pre>
 *   --id 4 --peers 1=127.0.0.1:2881,2=127.0.0.1:2882,3=127.0.0.1:2883 --observers 4=127.0.0.1:2884 ...
 * </pre>
 */
@Command(name = "zab-kv-server", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
    description = "One node of the zab example key-value store with sessions and locks.")
public final class ZabKvServer implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ZabKvServer.class);
  /** Exit code when the zab node died on its own (EX_SOFTWARE). */
  public static final int EXIT_NODE_FAILED = 70;

  @Option(names = "--id", required = true, description = "this server's id (one of --peers or --observers)")
  long id;

  @Option(names = "--peers", required = true, description = "the voting servers: ID=HOST:PORT,... (zab peer ports);"
      + " the initial configuration (once the configuration changed, the one in the data directory is used)")
  String peers;

  @Option(names = "--observers", description = "non-voting servers: ID=HOST:PORT,...; a new server joining a running"
      + " ensemble lists itself here and waits until a member adds it (zab-cli add-member)")
  String observers;

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

  @Option(names = "--log-segment-bytes", defaultValue = "67108864", description = "size of a txn log segment file"
      + " (small ones roll, are compacted and recycled often: the fault suite uses 256 KiB)")
  long logSegmentBytes;

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
    CommandLine cl = new CommandLine(new ZabKvServer());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("zab-kv-server: cannot start: " + startFailure(e));
      return 1;
    });
    int code = cl.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** One line for the failures a user can fix (ports, data directory, settings); the stack trace for others. */
  static String startFailure(Throwable e) {
    Throwable shown = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    boolean known = shown instanceof IOException || shown instanceof IllegalArgumentException
        || shown instanceof IllegalStateException;
    if (!known) {
      log.error("unexpected failure", e);
    }
    String text = shown.getMessage() != null ? shown.getMessage() : shown.toString();
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  @Override
  public Integer call() throws Exception {
    KvNode node = start(b -> b, ZabKvServer::exitBecauseTheNodeFailed);
    keepRunning(node);
    return 0;
  }

  /** Closes {@code node} on SIGTERM; blocks until the JVM exits (SIGTERM, or exit 70 after a fatal error). */
  void keepRunning(KvNode node) throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("server {} shutting down", id);
      node.close();
    }, "shutdown"));
    CountDownLatch forever = new CountDownLatch(1);
    forever.await(); // until SIGTERM (the shutdown hook closes the node) or a fatal error (exit 70)
  }

  /** What the process does when its zab node stopped on its own: log why and exit 70. */
  static void exitBecauseTheNodeFailed(Throwable cause) {
    log.error("server stopped after a fatal error; exiting with {} so that a supervisor restarts it: {}",
        EXIT_NODE_FAILED, cause.getMessage());
    System.exit(EXIT_NODE_FAILED);
  }

  /**
   * Starts the node from the options: binds HTTP, starts zab, serves. {@code extra} adjusts the zab builder
   * (tests use it); {@code onFatal} runs once if the zab node stops on its own after a fatal error.
   */
  KvNode start(UnaryOperator<ZabNode.Builder> extra, Consumer<Throwable> onFatal) throws IOException {
    List<Member> members = PeerList.parse(peers);
    List<Member> nonVoters = observers == null ? List.of() : PeerList.parse("--observers", observers);
    if (members.stream().noneMatch(m -> m.id() == id) && nonVoters.stream().noneMatch(m -> m.id() == id)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--id " + id + " is not in --peers " + peers
          + (observers == null ? "" : " nor --observers " + observers) + "; to join a running ensemble, list this"
          + " server in --observers (--observers " + id + "=HOST:PORT) and add it with zab-cli add-member");
    }
    NettyConfig transport = transportConfig();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KvNode.Settings settings = new KvNode.Settings(id, httpHost, httpPort, Duration.ofMillis(sessionTickMillis),
        Duration.ofMillis(100), Duration.ofSeconds(10));
    KvNode node = KvNode.start(settings, sm -> {
      ZabNode zab = extra.apply(ZabNode.builder()
          .serverId(id)
          .members(members)
          .observers(nonVoters)
          .dataDir(dataDir)
          .transport(NettyTransport.factory(transport))
          .stateMachine(sm)
          .tick(Duration.ofMillis(tickMillis))
          .timeouts(Timeouts.defaults().scaledBy(tickMillis / 50.0)) // --tick-ms scales the timeouts with it
          .snapshotEveryTxns(snapshotEvery)
          .logSegmentBytes(logSegmentBytes)
          .metrics(MicrometerZabMetrics.of(metrics)))
          .build();
      zab.addListener(new ZabListener() {
        @Override
        public void roleChanged(RoleChange e) {
          log.info("server {} is {} in epoch {} (leader {}, last zxid {})", e.serverId(), e.role(), e.epoch(),
              e.leader().orElse(0), e.lastZxid());
        }

        @Override
        public void configurationChanged(ClusterConfiguration c) {
          log.info("server {}: the cluster configuration is now {}", id, c);
        }
      });
      ZabNodeLog started;
      try {
        started = ZabNodeLog.start(zab);
      } catch (IOException e) {
        throw new UncheckedIOException("server " + id + " cannot start from " + dataDir + ": " + e.getMessage(), e);
      }
      zab.stopped().whenComplete((ok, fatal) -> {
        if (fatal != null) {
          onFatal.accept(fatal);
        }
      });
      return started;
    });
    node.serveMetrics(metrics::scrape);
    return node;
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
