package io.zab.bench.zk;

import io.zab.bench.cluster.FreePorts;
import io.zab.bench.cluster.ProcessGroup;
import io.zab.bench.cluster.ServerCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An Apache ZooKeeper ensemble on loopback: one {@code QuorumPeerMain} JVM per server, each with a generated
 * {@code zoo.cfg} (forceSync left at its default, yes) and its data directory under {@code workDir}.
 * Every ZooKeeper JVM runs with the jars of {@code zkLib} only (ZooKeeper's own Netty 4.1), plus the
 * benchmark's own classes for the parent watchdog and load client.
 */
public final class ZkEnsemble extends ServerCluster {

  private static final String QUORUM_PEER_MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

  private final Path workDir;
  private final List<String> zkClasspath;
  private final List<String> serverJvmOptions;

  /**
   * @param zkLib        directory of ZooKeeper's jars (zab-bench/target/zk-lib)
   * @param benchClasses zab-bench's compiled classes (for {@code ExitWithParent} and {@code ZkLoadClient})
   */
  public ZkEnsemble(int size, Path workDir, Path zkLib, Path benchClasses, List<String> serverJvmOptions,
      ProcessGroup processes) throws IOException {
    super(size, processes);
    this.workDir = workDir;
    this.serverJvmOptions = serverJvmOptions;
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
  protected void startServers() throws Exception {
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
  }

  @Override
  protected String probeRole(long id) {
    try {
      return FourLetterWord.mode(FourLetterWord.send("127.0.0.1", clientPorts[(int) id - 1], "srvr"));
    } catch (IOException notUpYet) {
      return null;
    }
  }

  @Override
  protected String logOf(long id) {
    return workDir.resolve("zk" + id).resolve("server.log").toString();
  }

  @Override
  public List<String> clientClasspath() {
    return zkClasspath;
  }

  @Override
  public String clientMainClass() {
    return ZkLoadClient.class.getName();
  }
}
