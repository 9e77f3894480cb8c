package io.zab.examples.demo;

import io.zab.examples.client.KvClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the {@link FailoverScenario} against the cluster started by {@code ./zab-cluster start}, killing nodes
 * by the pid files the script writes. Prints every check as PASSED/FAILED; exits 1 if any failed.
 */
@Command(name = "cluster-demo", mixinStandardHelpOptions = true, description = "Failover demo with checks.")
public final class ClusterDemo implements Callable<Integer> {

  @Option(names = "--servers", split = ",", required = true, description = "HTTP URLs of the three nodes")
  List<String> servers;

  @Option(names = "--pid-dir", required = true, description = "directory with node-ID.pid files")
  Path pidDir;

  @Option(names = "--restart-command", description = "shell command that restarts stopped nodes")
  String restartCommand;

  @Option(names = "--session-timeout-ms", defaultValue = "3000", description = "timeout of the demo's client sessions")
  long sessionTimeoutMs;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ClusterDemo()).execute(args));
  }

  @Override
  public Integer call() {
    Checks checks = new Checks(System.out);
    new FailoverScenario(servers.stream().map(KvClient::new).toList(), new PidFiles(), checks, sessionTimeoutMs).run();
    System.out.println();
    System.out.println((checks.failed().isEmpty() ? "DEMO PASSED: " : "DEMO FAILED: ") + checks.summary());
    return checks.failed().isEmpty() ? 0 : 1;
  }

  /** Kills nodes by the pid files of {@code ./zab-cluster}; restarts them with the restart command. */
  private final class PidFiles implements NodeControl {
    @Override
    public String kill(long id) throws Exception {
      Path file = pidDir.resolve("node-" + id + ".pid");
      long pid = Long.parseLong(Files.readString(file).trim());
      ProcessHandle p = ProcessHandle.of(pid)
          .filter(h -> h.info().commandLine().orElse("").contains("ZabKvServer"))
          .orElseThrow(() -> new IllegalStateException("no ZabKvServer process with pid " + pid + " (from " + file + ")"));
      p.destroyForcibly(); // SIGKILL
      p.onExit().get(10, TimeUnit.SECONDS);
      Files.deleteIfExists(file);
      return "killed server " + id + " (pid " + pid + ") with SIGKILL";
    }

    @Override
    public boolean restart(long id) throws Exception {
      if (restartCommand == null) {
        return false;
      }
      Process p = new ProcessBuilder("bash", "-c", restartCommand).inheritIO().start();
      if (!p.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("restart command did not finish in 3 minutes: " + restartCommand);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("restart command exited with " + p.exitValue() + ": " + restartCommand);
      }
      return true;
    }
  }
}
