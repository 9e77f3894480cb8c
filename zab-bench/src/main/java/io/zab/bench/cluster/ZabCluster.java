package io.zab.bench.cluster;

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
public final class ZabCluster extends ServerCluster {

  static final String SERVER_MAIN = "io.zab.bench.cluster.ZabBenchServer";

  private final Path workDir;
  private final List<String> classpath;
  private final List<String> serverJvmOptions;
  private final String system;
  private final boolean oneJvm;
  private final List<String> serverArgs;

  public ZabCluster(int size, Path workDir, List<String> classpath, List<String> serverJvmOptions,
      ProcessGroup processes) {
    this(size, workDir, classpath, serverJvmOptions, processes, "zab", false);
  }

  /**
   * @param system the name in results, e.g. "zab-base" for a baseline build on another classpath
   * @param oneJvm every server in one JVM (then {@link #pid} is the same for all)
   */
  public ZabCluster(int size, Path workDir, List<String> classpath, List<String> serverJvmOptions,
      ProcessGroup processes, String system, boolean oneJvm) {
    this(size, workDir, classpath, serverJvmOptions, processes, system, oneJvm, List.of());
  }

  /** @param serverArgs more arguments of every server, e.g. {@code --log-preallocation false} */
  public ZabCluster(int size, Path workDir, List<String> classpath, List<String> serverJvmOptions,
      ProcessGroup processes, String system, boolean oneJvm, List<String> serverArgs) {
    super(size, processes);
    this.workDir = workDir;
    this.classpath = classpath;
    this.serverJvmOptions = serverJvmOptions;
    this.system = system;
    this.oneJvm = oneJvm;
    this.serverArgs = List.copyOf(serverArgs);
  }

  @Override
  public String system() {
    return system;
  }

  @Override
  public java.util.Map<String, Long> memoryReport(long id) {
    try (SubmitClient client = new SubmitClient("127.0.0.1", clientPorts[(int) id - 1])) {
      return MemoryReport.parse(client.memory().get(60, TimeUnit.SECONDS).text());
    } catch (Exception e) {
      return java.util.Map.of();
    }
  }

  @Override
  protected void startServers() throws Exception {
    int[] ports = FreePorts.pick(2 * size);
    clientPorts = new int[size];
    for (int i = 0; i < size; i++) {
      clientPorts[i] = ports[2 * i];
    }
    String members = LongStream.rangeClosed(1, size)
        .mapToObj(id -> id + "=127.0.0.1:" + ports[2 * (int) (id - 1) + 1])
        .collect(Collectors.joining(","));
    if (oneJvm) {
      Path dir = workDir.resolve("zab-all");
      Files.createDirectories(dir.resolve("data"));
      List<String> jvm = new ArrayList<>(serverJvmOptions);
      jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      jvm.add("-Dorg.slf4j.simpleLogger.log.io.zab.storage.TxnLog=info"); // segment rolls and compactions: rare
      Process all = processes.startJava(classpath, jvm, SERVER_MAIN, withServerArgs(
          List.of("--ids", LongStream.rangeClosed(1, size).mapToObj(Long::toString).collect(Collectors.joining(",")),
              "--members", members, "--data-dir", dir.resolve("data").toString(), "--client-ports",
              java.util.Arrays.stream(clientPorts).mapToObj(Integer::toString).collect(Collectors.joining(",")))),
          dir.resolve("server.log"));
      for (int i = 0; i < size; i++) {
        servers.add(all);
      }
      return;
    }
    for (int i = 0; i < size; i++) {
      long id = i + 1;
      Path serverDir = workDir.resolve("zab" + id);
      Files.createDirectories(serverDir.resolve("data"));
      List<String> jvm = new ArrayList<>(serverJvmOptions);
      jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      jvm.add("-Dorg.slf4j.simpleLogger.log.io.zab.storage.TxnLog=info"); // segment rolls and compactions: rare
      servers.add(processes.startJava(classpath, jvm, SERVER_MAIN, withServerArgs(
          List.of("--id", Long.toString(id), "--members", members, "--data-dir",
              serverDir.resolve("data").toString(), "--client-port", Integer.toString(clientPorts[i]))),
          serverDir.resolve("server.log")));
    }
  }

  private List<String> withServerArgs(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(serverArgs);
    return all;
  }

  @Override
  protected String probeRole(long id) {
    try (SubmitClient client = new SubmitClient("127.0.0.1", clientPorts[(int) id - 1])) {
      return switch (client.role().get(2, TimeUnit.SECONDS).status()) {
        case 2 -> "leader";
        case 1 -> "follower";
        default -> "looking";
      };
    } catch (Exception notUpYet) {
      return null;
    }
  }

  @Override
  protected String logOf(long id) {
    if (oneJvm) {
      return workDir.resolve("zab-all").resolve("server.log").toString();
    }
    return workDir.resolve("zab" + id).resolve("server.log").toString();
  }

  @Override
  public List<String> clientClasspath() {
    return classpath;
  }

  @Override
  public String clientMainClass() {
    return ZabLoadClient.class.getName();
  }
}
