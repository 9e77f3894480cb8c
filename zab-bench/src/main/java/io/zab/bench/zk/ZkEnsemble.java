package io.zab.bench.zk;

import io.zab.bench.cluster.FreePorts;
import io.zab.bench.cluster.ProcessGroup;
import io.zab.bench.cluster.ServerCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * An Apache ZooKeeper ensemble on loopback: one {@code QuorumPeerMain} JVM per server, each with a generated
 * {@code zoo.cfg} (forceSync left at its default, yes) and its data directory under {@code workDir}.
 * Every ZooKeeper JVM runs with the jars of {@code zkLib} only (ZooKeeper's own Netty 4.1), plus the
 * benchmark's own classes for the parent watchdog and load client.
 */
public final class ZkEnsemble implements ServerCluster {

  private static final String QUORUM_PEER_MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
  private static final long LEADER_TIMEOUT_MS = 60_000;

  private final int size;
  private final Path workDir;
  private final List<String> zkClasspath;
  private final List<String> serverJvmOptions;
  private final ProcessGroup processes;
  private final List<Process> servers = new ArrayList<>();
  private int[] clientPorts;
  private long leaderId = -1;

  /**
   * @param zkLib        directory of ZooKeeper's jars (zab-bench/target/zk-lib)
   * @param benchClasses zab-bench's compiled classes (for {@code ExitWithParent} and {@code ZkLoadClient})
   */
  public ZkEnsemble(int size, Path workDir, Path zkLib, Path benchClasses, List<String> serverJvmOptions,
      ProcessGroup processes) throws IOException {
    this.size = size;
    this.workDir = workDir;
    this.serverJvmOptions = serverJvmOptions;
    this.processes = processes;
    List<String> cp = new ArrayList<>();
    cp.add(benchClasses.toString());
    try (var jars = Files.list(zkLib)) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
    }
    if (cp.size() == 1) {
      throw new IOException("no ZooKeeper jars in " + zkLib + "; build them with"
          + " ./mvnw -q -f zab-bench/zk-deps/pom.xml package");
    }
    this.zkClasspath = List.copyOf(cp);
  }

  @Override
  public String system() {
    return "zookeeper";
  }

  @Override
  public void startAndAwaitLeader() throws Exception {
    int[] ports = FreePorts.pick(3 * size);
    clientPorts = new int[size];
    StringBuilder quorum = new StringBuilder();
    for (int i = 0; i < size; i++) {
      clientPorts[i] = ports[3 * i];
      quorum.append(String.format("server.%d=127.0.0.1:%d:%d%n", i + 1, ports[3 * i + 1], ports[3 * i + 2]));
    }
    for (int i = 0; i < size; i++) {
      long id = i + 1;
      Path serverDir = workDir.resolve("zk" + id);
      Path dataDir = serverDir.resolve("data");
      Files.createDirectories(dataDir);
      Files.writeString(dataDir.resolve("myid"), Long.toString(id));
      Path cfg = serverDir.resolve("zoo.cfg");
      Files.writeString(
          cfg,
          "tickTime=2000\n"
              + "initLimit=10\n"
              + "syncLimit=5\n"
              + "dataDir=" + dataDir.toAbsolutePath() + "\n"
              + "clientPort=" + clientPorts[i] + "\n"
              + "clientPortAddress=127.0.0.1\n"
              + "4lw.commands.whitelist=srvr,stat,ruok\n"
              + "admin.enableServer=false\n"
              + quorum);
      List<String> jvm = new ArrayList<>(serverJvmOptions);
      jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      servers.add(
          processes.startJava(
              zkClasspath, jvm, "io.zab.bench.cluster.ExitWithParent",
              List.of(QUORUM_PEER_MAIN, cfg.toAbsolutePath().toString()),
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
      StringBuilder modes = new StringBuilder();
      for (int i = 0; i < size; i++) {
        if (!servers.get(i).isAlive()) {
          throw new IllegalStateException("ZooKeeper server " + (i + 1) + " exited; see "
              + workDir.resolve("zk" + (i + 1)).resolve("server.log"));
        }
        String mode;
        try {
          mode = FourLetterWord.mode(FourLetterWord.send("127.0.0.1", clientPorts[i], "srvr"));
        } catch (IOException notUpYet) {
          mode = null;
        }
        modes.append(i + 1).append('=').append(mode).append(' ');
        if ("leader".equals(mode)) {
          leader = i + 1;
        } else if ("follower".equals(mode)) {
          followers++;
        }
      }
      last = modes.toString();
      if (leader > 0 && followers == size - 1) {
        leaderId = leader;
        return;
      }
      Thread.sleep(200); // polling an external process; no event to wait on
    }
    throw new IllegalStateException("ZooKeeper ensemble had no leader after " + LEADER_TIMEOUT_MS
        + " ms; last modes: " + last);
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
    return zkClasspath;
  }

  @Override
  public String clientMainClass() {
    return ZkLoadClient.class.getName();
  }

  @Override
  public void close() {
    for (Process server : servers) {
      processes.stop(server);
    }
  }
}
