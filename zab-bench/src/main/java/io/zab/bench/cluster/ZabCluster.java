package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A zab cluster on loopback: one {@code ZabBenchServer} JVM per server (NettyTransport, fsync on), each
 * with a {@link SubmitServer} client port. Leadership is read through that port's ROLE request.
 */
public final class ZabCluster implements ServerCluster {

  static final String SERVER_MAIN = "io.zab.bench.cluster.ZabBenchServer";
  private static final long LEADER_TIMEOUT_MS = 60_000;

  private final int size;
  private final Path workDir;
  private final List<String> classpath;
  private final List<String> serverJvmOptions;
  private final ProcessGroup processes;
  private final List<Process> servers = new ArrayList<>();
  private int[] clientPorts;
  private long leaderId = -1;

  public ZabCluster(int size, Path workDir, List<String> classpath, List<String> serverJvmOptions,
      ProcessGroup processes) {
    this.size = size;
    this.workDir = workDir;
    this.classpath = classpath;
    this.serverJvmOptions = serverJvmOptions;
    this.processes = processes;
  }

  @Override
  public String system() {
    return "zab";
  }

  @Override
  public void startAndAwaitLeader() throws Exception {
    int[] ports = FreePorts.pick(2 * size);
    clientPorts = new int[size];
    for (int i = 0; i < size; i++) {
      clientPorts[i] = ports[2 * i];
    }
    String members = LongStream.rangeClosed(1, size)
        .mapToObj(id -> id + "=127.0.0.1:" + ports[2 * (int) (id - 1) + 1])
        .collect(Collectors.joining(","));
    for (int i = 0; i < size; i++) {
      long id = i + 1;
      Path serverDir = workDir.resolve("zab" + id);
      Files.createDirectories(serverDir.resolve("data"));
      List<String> jvm = new ArrayList<>(serverJvmOptions);
      jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      servers.add(processes.startJava(classpath, jvm, SERVER_MAIN,
          List.of("--id", Long.toString(id), "--members", members, "--data-dir",
              serverDir.resolve("data").toString(), "--client-port", Integer.toString(clientPorts[i])),
          serverDir.resolve("server.log")));
    }
    awaitLeader();
  }

  private void awaitLeader() throws InterruptedException {
    long deadline = System.currentTimeMillis() + LEADER_TIMEOUT_MS;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      long leader = -1;
      int followers = 0;
      StringBuilder roles = new StringBuilder();
      for (int i = 0; i < size; i++) {
        if (!servers.get(i).isAlive()) {
          throw new IllegalStateException("zab server " + (i + 1) + " exited; see "
              + workDir.resolve("zab" + (i + 1)).resolve("server.log"));
        }
        SubmitProtocol.Response role = queryRole(clientPorts[i]);
        roles.append(i + 1).append('=').append(role == null ? "down" : role.status() + "/" + role.value())
            .append(' ');
        if (role != null && role.status() == 2) {
          leader = i + 1;
        } else if (role != null && role.status() == 1) {
          followers++;
        }
      }
      last = roles.toString();
      if (leader > 0 && followers == size - 1) {
        leaderId = leader;
        return;
      }
      Thread.sleep(200); // polling external processes; no event to wait on
    }
    throw new IllegalStateException("zab cluster had no leader after " + LEADER_TIMEOUT_MS
        + " ms; last roles (code/leader, 2 = LEADING): " + last);
  }

  private static SubmitProtocol.Response queryRole(int port) {
    try (SubmitClient client = new SubmitClient("127.0.0.1", port)) {
      return client.role().get(2, TimeUnit.SECONDS);
    } catch (IOException notUpYet) {
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public List<Long> serverIds() {
    return LongStream.rangeClosed(1, size).boxed().toList();
  }

  @Override
  public long leaderId() {
    return leaderId;
  }

  @Override
  public String clientAddress(long serverId) {
    return "127.0.0.1:" + clientPorts[(int) serverId - 1];
  }

  @Override
  public long pid(long serverId) {
    return servers.get((int) serverId - 1).pid();
  }

  @Override
  public List<String> clientClasspath() {
    return classpath;
  }

  @Override
  public String clientMainClass() {
    return ZabLoadClient.class.getName();
  }

  @Override
  public void close() {
    for (Process server : servers) {
      processes.stop(server);
    }
  }
}
