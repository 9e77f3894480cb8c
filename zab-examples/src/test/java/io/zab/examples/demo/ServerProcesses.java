package io.zab.examples.demo;

import io.zab.examples.client.ClusterView;
import io.zab.examples.client.KvClient;
import io.zab.examples.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code ZabKvServer} child processes for tests: free ports (zab and HTTP) per server id, a data directory and a
 * log file each under {@code dir}, SIGKILL, and every log for a failure message. {@link #close()} kills every
 * child, whatever happened.
 */
public final class ServerProcesses implements AutoCloseable {
  private final Path dir;
  private final Map<Long, Process> processes = new ConcurrentHashMap<>();
  private final Map<Long, Integer> peerPorts = new ConcurrentHashMap<>();
  private final Map<Long, Integer> httpPorts = new ConcurrentHashMap<>();

  /** Picks free ports for servers {@code ids}. */
  public ServerProcesses(Path dir, long... ids) throws IOException {
    this.dir = dir;
    List<Integer> ports = freePorts(2 * ids.length);
    for (int i = 0; i < ids.length; i++) {
      peerPorts.put(ids[i], ports.get(i));
      httpPorts.put(ids[i], ports.get(ids.length + i));
    }
  }

  /** The {@code --peers} text of servers {@code ids}: {@code 1=127.0.0.1:p1,...}. */
  public String peers(long... ids) {
    return Arrays.stream(ids).mapToObj(id -> id + "=" + peerAddress(id)).collect(Collectors.joining(","));
  }

  /** Where server {@code id}'s zab peers reach it. */
  public String peerAddress(long id) {
    return "127.0.0.1:" + peerPorts.get(id);
  }

  public String url(long id) {
    return "http://127.0.0.1:" + httpPorts.get(id);
  }

  public KvClient client(long id) {
    return new KvClient(url(id));
  }

  /**
   * Awaits a leader that every one of servers {@code ids} serves, at most {@code timeout}; on failure the assertion
   * carries the cluster's table and every server's log.
   *
   * @return the leader's id
   */
  public long settledLeader(Duration timeout, long... ids) {
    List<KvClient> clients = Arrays.stream(ids).mapToObj(this::client).toList();
    try {
      return Await.value("a leader every one of " + Arrays.toString(ids) + " serves", timeout,
          () -> ClusterView.read(clients).settledLeader(ids.length).orElse(null));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + ClusterView.read(clients).table() + logs(), e);
    }
  }

  /** Starts server {@code id} with {@code options} (its {@code --peers} at least); its output goes to its log. */
  public void start(long id, List<String> options) throws IOException {
    Path data = dir.resolve("node-" + id);
    Files.createDirectories(data);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire runs tests from a manifest-only jar; the real test classpath is in this property.
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, "io.zab.examples.server.ZabKvServer",
        "--id", Long.toString(id), "--http-port", Integer.toString(httpPorts.get(id)), "--data-dir", data.toString()));
    command.addAll(options);
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(id).toFile()))
        .start();
    processes.put(id, p);
  }

  public Process process(long id) {
    return processes.get(id);
  }

  /** Kills server {@code id} with SIGKILL (no shutdown hook, no flush) and waits for it to exit. */
  public String kill(long id) throws InterruptedException {
    Process p = processes.get(id);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    return "killed server " + id + " (pid " + p.pid() + ") with SIGKILL";
  }

  public Path log(long id) {
    return dir.resolve("node-" + id + ".log");
  }

  /** Every server's log without DEBUG lines, for a failure message. */
  public String logs() {
    StringBuilder sb = new StringBuilder();
    for (long id : httpPorts.keySet().stream().sorted().toList()) {
      try {
        List<String> lines = Files.readAllLines(log(id));
        sb.append("--- node ").append(id).append('\n')
            .append(lines.stream().filter(l -> !l.contains("DEBUG")).collect(Collectors.joining("\n"))).append('\n');
      } catch (IOException e) {
        sb.append("--- node ").append(id).append(": no log (").append(e).append(")\n");
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
