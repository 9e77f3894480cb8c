package io.zab.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * A replicated service under test (ZooKeeper or zab): servers 1..n, one JVM each, on loopback, each with
 * a client port. Subclasses start the servers and say how to ask one for its role.
 */
public abstract class ServerCluster implements AutoCloseable {

  private static final long LEADER_TIMEOUT_MS = 60_000;

  protected final int size;
  protected final ProcessGroup processes;
  protected final List<Process> servers = new ArrayList<>();
  protected int[] clientPorts;
  private long leaderId = -1;

  protected ServerCluster(int size, ProcessGroup processes) {
    this.size = size;
    this.processes = processes;
  }

  /** "zookeeper" or "zab": the name in results. */
  public abstract String system();

  /** Starts every server process and fills {@link #clientPorts}; returns without waiting for a leader. */
  protected abstract void startServers() throws Exception;

  /** Asks server {@code id} for its role: "leader", "follower", anything else, or null if unreachable. */
  protected abstract String probeRole(long id);

  /** Where server {@code id} logs, for error messages. */
  protected abstract String logOf(long id);

  /** What server {@code id} reports of its own memory ({@code MemoryReport} keys), or nothing. */
  public java.util.Map<String, Long> memoryReport(long id) {
    return java.util.Map.of();
  }

  /** Classpath and main class of this system's load client JVM. */
  public abstract List<String> clientClasspath();

  public abstract String clientMainClass();

  /** Starts every server and returns once one leads and all others follow. */
  public final void startAndAwaitLeader() throws Exception {
    startServers();
    long deadline = System.currentTimeMillis() + LEADER_TIMEOUT_MS;
    StringBuilder roles = new StringBuilder();
    while (System.currentTimeMillis() < deadline) {
      long leader = -1;
      int followers = 0;
      roles.setLength(0);
      for (long id : serverIds()) {
        if (!servers.get((int) id - 1).isAlive()) {
          throw new IllegalStateException(system() + " server " + id + " exited; see " + logOf(id));
        }
        String role = probeRole(id);
        roles.append(id).append('=').append(role).append(' ');
        if ("leader".equals(role)) {
          leader = id;
        } else if ("follower".equals(role)) {
          followers++;
        }
      }
      if (leader > 0 && followers == size - 1) {
        leaderId = leader;
        return;
      }
      Thread.sleep(200); // polling other processes; there is no event to wait on
    }
    throw new IllegalStateException(system() + " had no leader followed by all after " + LEADER_TIMEOUT_MS
        + " ms; last roles: " + roles);
  }

  public final List<Long> serverIds() {
    return LongStream.rangeClosed(1, size).boxed().toList();
  }

  public final long leaderId() {
    return leaderId;
  }

  /** host:port a load client connects to, to write through server {@code id}. */
  public final String clientAddress(long id) {
    return "127.0.0.1:" + clientPorts[(int) id - 1];
  }

  public final long pid(long id) {
    return servers.get((int) id - 1).pid();
  }

  /** Stops every server; idempotent. */
  @Override
  public final void close() {
    for (Process server : servers) {
      processes.stop(server);
    }
  }
}
