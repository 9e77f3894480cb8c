package io.zab.nemesis;

import io.zab.nemesis.net.SystemCommandRunner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zab-cluster nemesis}: the fault-injection suite. Needs root on Linux (network namespaces, veth,
 * tc). Prints progress, the figures, and one summary line last:
 *
 * <pre>
 * nemesis: rounds=R partitions=P kills=K pauses=S ops=O ok=A unknown=U lost=L linearizable=yes|no converged=yes|no
 * </pre>
 *
 * <p>Exit codes: 0 nothing wrong (or the self-test caught both planted anomalies), 1 an anomaly was found,
 * 2 a usage error, 3 the harness failed (servers never came up, partitions not as intended), 77 this host
 * cannot run the suite (the one line says why).
 */
@Command(name = "zab-cluster nemesis", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the example's three servers, each in its own network namespace, under a workload and",
        "partitions, kill -9 and SIGSTOP; checks linearizability, lost writes and convergence."},
    footer = {"Exit: 0 ok, 1 anomaly found, 2 usage, 3 harness failure, 77 cannot run here (needs root, netns, tc)."})
public final class NemesisMain implements Callable<Integer> {
  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  @Option(names = "--rounds", description = "fault rounds (default: until --min-partitions partition events;"
      + " 8 with --self-test)", defaultValue = "0")
  int rounds;

  @Option(names = "--seed", description = "seed of the fault schedule and workload (default: random, printed)")
  Long seed;

  @Option(names = "--minutes", description = "stop starting rounds after this many minutes (decimals allowed)",
      defaultValue = "0")
  double minutes;

  @Option(names = "--min-partitions", description = "with neither --rounds nor --minutes, run until this many"
      + " partition events (default ${DEFAULT-VALUE})", defaultValue = "100")
  int minPartitions;

  @Option(names = "--self-test", description = "plant a stale read and a lost write; pass only if both are caught")
  boolean selfTest;

  @Option(names = "--membership", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "include membership faults: leadership transfers, a follower removed and added back"
      + " (default on; --no-membership for network and process faults only)")
  boolean membership;

  @Option(names = "--run-id", description = "names this run's namespaces and links (1-6 of a-z0-9; default random)")
  String runId;

  @Option(names = "--dir", description = "data, logs and history (default ./data/nemesis/RUN-ID)")
  Path dir;

  @Option(names = "--snapshot-every", defaultValue = "50", description = "the servers' snapshot interval in txns"
      + " (default ${DEFAULT-VALUE})")
  int snapshotEvery;

  @Option(names = "--log-segment-bytes", defaultValue = "262144", description = "the servers' txn log segment size;"
      + " small, so that segments roll, are compacted and are recycled (segment format 4) while servers are killed"
      + " (default ${DEFAULT-VALUE})")
  long logSegmentBytes;

  @Option(names = "--clients-per-node", defaultValue = "2", description = "workload clients per server"
      + " (default ${DEFAULT-VALUE})")
  int clientsPerNode;

  @Option(names = "--server-jvm-options", defaultValue = "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
      description = "JVM options of the servers (default: ${DEFAULT-VALUE})")
  String serverJvmOptions;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NemesisMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String id = runId != null ? runId : randomId();
    long s = seed != null ? seed : new SecureRandom().nextLong();
    int r = rounds == 0 && minutes == 0 && selfTest ? 8 : rounds;
    if (r < 0 || minutes < 0 || minPartitions < 1 || snapshotEvery < 1 || clientsPerNode < 1
        || logSegmentBytes < 4096) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--rounds, --minutes must be >= 0; --min-partitions, --snapshot-every, --clients-per-node >= 1;"
              + " --log-segment-bytes >= 4096");
    }
    Path d = dir != null ? dir : NemesisRun.defaultDir(Path.of("").toAbsolutePath(), id);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> jvm = Arrays.stream(serverJvmOptions.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
    RunSettings settings = new RunSettings(id, s, r, minutes, minPartitions, selfTest, d.toAbsolutePath(), java,
        System.getProperty("java.class.path"), jvm, snapshotEvery, clientsPerNode,
        membership, logSegmentBytes);
    return new NemesisRun(settings, new SystemCommandRunner(), System.out).run();
  }

  private static String randomId() {
    SecureRandom rnd = new SecureRandom();
    char[] c = new char[6];
    for (int i = 0; i < c.length; i++) {
      c[i] = ID_CHARS[rnd.nextInt(ID_CHARS.length)];
    }
    return new String(c);
  }
}
