package io.zab.examples.server;

import com.sun.net.httpserver.HttpServer;
import io.zab.examples.kv.KvStateMachine;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the example service: the state machine, its replicated log, the HTTP API, the heartbeat
 * batcher and (while leading) the session clock.
 *
 * <pre>{@code
 * KvNode node = KvNode.start(settings, sm -> ZabNodeLog.start(ZabNode.builder()...stateMachine(sm).build()));
 * ...
 * node.close();
 * }</pre>
 */
public final class KvNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KvNode.class);
  /** The JDK HTTP server's switch for TCP_NODELAY on accepted connections. */
  static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  /**
   * @param serverId this node's zab server id
   * @param httpHost interface the HTTP API binds to
   * @param httpPort port of the HTTP API (0: any free port)
   * @param sessionTick how often the leader proposes a session clock tick
   * @param heartbeatFlush how often heartbeats are batched into one txn
   * @param requestTimeout how long a client request may wait for its outcome
   */
  public record Settings(long serverId, String httpHost, int httpPort, Duration sessionTick, Duration heartbeatFlush,
      Duration requestTimeout) {
    public static Settings defaults(long serverId, int httpPort) {
      return new Settings(serverId, "127.0.0.1", httpPort, Duration.ofMillis(200), Duration.ofMillis(100),
          Duration.ofSeconds(10));
    }
  }

  private final Settings settings;
  private final KvService service;
  private final ExecutorService callbacks;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService timers;
  private final HttpServer http;
  private volatile boolean serving;

  static {
    // Replies go out at once instead of waiting for the client's delayed ACK (Nagle): a keep-alive request
    // cost ~40 ms without it. The JDK's HTTP server reads this once, when the first server of the JVM starts.
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
  }

  private KvNode(Settings settings, HttpServer http) {
    this.settings = settings;
    this.http = http;
    String name = "kv-" + settings.serverId();
    callbacks = Executors.newFixedThreadPool(2, threads(name + "-callback"));
    httpThreads = Executors.newFixedThreadPool(8, threads(name + "-http"));
    timers = Executors.newSingleThreadScheduledExecutor(threads(name + "-timer"));
    service = new KvService(callbacks, settings.requestTimeout());
  }

  private void serve(ReplicatedLog replicatedLog) {
    service.attach(replicatedLog);
    SessionHeartbeats heartbeats = new SessionHeartbeats(service);
    SessionClock clock = new SessionClock(service, () -> System.nanoTime() / 1_000_000,
        2 * settings.sessionTick().toMillis());
    http.setExecutor(httpThreads);
    http.createContext("/", new HttpApi(service, heartbeats, this::status, httpThreads));
    every(settings.heartbeatFlush(), heartbeats::flush);
    every(settings.sessionTick(), clock::tick);
    http.start();
    serving = true;
  }

  /**
   * Binds the HTTP port first (so a port in use fails before anything else starts), then builds the node's
   * log with {@code logFactory} (given the state machine), then serves HTTP.
   *
   * @throws PortInUseException if the HTTP port is taken
   */
  public static KvNode start(Settings settings, Function<KvStateMachine, ReplicatedLog> logFactory)
      throws IOException {
    HttpServer http = bind(settings);
    KvNode node = new KvNode(settings, http);
    try {
      node.serve(logFactory.apply(node.service.stateMachine()));
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
    log.info("server {} serves HTTP on {}", settings.serverId(), node.httpAddress());
    return node;
  }

  private static HttpServer bind(Settings settings) throws IOException {
    try {
      return HttpServer.create(new InetSocketAddress(settings.httpHost(), settings.httpPort()), 64);
    } catch (BindException e) {
      throw new PortInUseException("HTTP port " + settings.httpPort() + " on " + settings.httpHost()
          + " is in use by another program (" + e.getMessage() + ")", e);
    }
  }

  /** A port this node needs is taken by another program. */
  public static final class PortInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Serves {@code GET /metrics}: what {@code scrape} returns, in Prometheus' text format. */
  public void serveMetrics(Supplier<String> scrape) {
    http.createContext("/metrics", new MetricsEndpoint(scrape));
  }

  public InetSocketAddress httpAddress() {
    return http.getAddress();
  }

  public KvService service() {
    return service;
  }

  /** What {@code GET /status} shows. */
  Map<String, Object> status() {
    ReplicatedLog node = service.log();
    KvStateMachine sm = service.stateMachine();
    KvStateMachine.StateDigest digest = sm.digest();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", settings.serverId());
    s.put("role", node.role().name());
    s.put("established", node.established());
    s.put("leader", node.leader().isPresent() ? node.leader().getAsLong() : null);
    s.put("epoch", node.epoch());
    s.put("lastZxid", node.lastZxid().toString());
    s.put("appliedZxid", digest.zxid().toString());
    s.put("stateDigest", Long.toHexString(digest.crc32c()));
    s.put("keys", sm.keyCount());
    s.put("sessions", sm.sessionCount());
    s.put("http", "http://" + settings.httpHost() + ":" + httpAddress().getPort());
    return s;
  }

  private void every(Duration period, Runnable task) {
    timers.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("periodic task failed", e);
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    if (!serving) {
      http.start(); // the JDK releases the port of a server only when stopping a started one
    }
    http.stop(0);
    timers.shutdownNow();
    if (service.log() != null) {
      service.log().close();
    }
    httpThreads.shutdownNow();
    callbacks.shutdownNow();
  }
}
