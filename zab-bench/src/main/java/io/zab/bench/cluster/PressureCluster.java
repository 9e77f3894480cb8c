package io.zab.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The pressure benchmark's zab cluster on loopback: one {@code ZabBenchServer} JVM per server (Netty, fsync on,
 * library defaults, a state that retains payloads), with fixed ports so that one server can be killed and
 * restarted on its data directory, and queries through each server's client port.
 */
final class PressureCluster implements AutoCloseable {
  private static final long LEADER_TIMEOUT_MS = 60_000;

  private final int size;
  private final Path workDir;
  private final List<String> classpath;
  private final List<String> jvm;
  private final ProcessGroup processes;
  private final long retainMib;
  private final int[] clientPorts;
  private final String members;
  private final Map<Long, Process> servers = new HashMap<>();

  PressureCluster(int size, Path workDir, List<String> classpath, List<String> jvm, ProcessGroup processes,
      long retainMib) throws Exception {
    this.size = size;
    this.workDir = workDir;
    this.classpath = classpath;
    this.jvm = jvm;
    this.processes = processes;
    this.retainMib = retainMib;
    int[] ports = FreePorts.pick(2 * size);
    this.clientPorts = new int[size];
    for (int i = 0; i < size; i++) {
      clientPorts[i] = ports[2 * i];
    }
    this.members = LongStream.rangeClosed(1, size)
        .mapToObj(id -> id + "=127.0.0.1:" + ports[2 * (int) (id - 1) + 1]).collect(Collectors.joining(","));
  }

  List<Long> ids() {
    return LongStream.rangeClosed(1, size).boxed().toList();
  }

  /** Starts (or restarts, on its data directory) server {@code id}. */
  void start(long id) throws Exception {
    Path dir = workDir.resolve("zab" + id);
    Files.createDirectories(dir.resolve("data"));
    List<String> options = new ArrayList<>(jvm);
    options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    // role changes and why a server left its role, with times: what the failover columns count
    options.add("-Dorg.slf4j.simpleLogger.log.io.zab.runtime.RoleReporter=info");
    options.add("-Dorg.slf4j.simpleLogger.log.io.zab.protocol.Peer=info");
    options.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    options.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    servers.put(id, processes.startJava(classpath, options, ZabBenchServer.class.getName(),
        List.of("--id", Long.toString(id), "--members", members, "--data-dir", dir.resolve("data").toString(),
            "--client-port", Integer.toString(clientPorts[(int) id - 1]), "--retain-mib", Long.toString(retainMib)),
        dir.resolve("server-" + System.nanoTime() + ".log")));
  }

  /** Kills server {@code id} (its data stays). */
  void stop(long id) {
    Process p = servers.remove(id);
    if (p != null) {
      processes.stop(p);
    }
  }

  /** Starts every server; returns the leader once one leads and all others follow it. */
  long startAllAndAwaitLeader() throws Exception {
    for (long id : ids()) {
      start(id);
    }
    return awaitLeader();
  }

  long awaitLeader() throws Exception {
    long deadline = System.currentTimeMillis() + LEADER_TIMEOUT_MS;
    String roles = "";
    while (System.currentTimeMillis() < deadline) {
      long leader = -1;
      int followers = 0;
      StringBuilder seen = new StringBuilder();
      for (long id : ids()) {
        SubmitProtocol.Response r = ask(id, SubmitProtocol.ROLE);
        seen.append(id).append('=').append(r == null ? "down" : r.status()).append(' ');
        if (r != null && r.status() == 2) {
          leader = id;
        } else if (r != null && r.status() == 1) {
          followers++;
        }
      }
      roles = seen.toString();
      if (leader > 0 && followers == size - 1) {
        return leader;
      }
      Thread.sleep(200); // polling other processes; there is no event to wait on
    }
    throw new IllegalStateException("no leader followed by all after " + LEADER_TIMEOUT_MS + " ms: " + roles);
  }

  /** Asks server {@code id} one query (ROLE, EPOCH, CHANGES, APPLIED); null if it does not answer. */
  SubmitProtocol.Response ask(long id, byte type) {
    try (SubmitClient client = new SubmitClient("127.0.0.1", clientPorts[(int) id - 1])) {
      return client.query(type).get(2, TimeUnit.SECONDS);
    } catch (Exception notUp) {
      return null;
    }
  }

  /** A query's value, or -1 if the server does not answer. */
  long value(long id, byte type) {
    SubmitProtocol.Response r = ask(id, type);
    return r == null ? -1 : r.value();
  }

  void slowDown(long id, int factor) throws Exception {
    try (SubmitClient client = new SubmitClient("127.0.0.1", clientPorts[(int) id - 1])) {
      SubmitProtocol.Response r = client.slowDown(factor).get(5, TimeUnit.SECONDS);
      if (r.status() != SubmitProtocol.OK) {
        throw new IllegalStateException("server " + id + " refused to slow its disk down");
      }
    }
  }

  String clientAddress(long id) {
    return "127.0.0.1:" + clientPorts[(int) id - 1];
  }

  List<String> classpath() {
    return classpath;
  }

  @Override
  public void close() {
    for (long id : List.copyOf(servers.keySet())) {
      stop(id);
    }
  }
}
