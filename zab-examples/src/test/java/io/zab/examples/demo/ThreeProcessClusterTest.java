package io.zab.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.ClusterView;
import io.zab.examples.client.KvClient;
import io.zab.examples.client.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: three {@code ZabKvServer} processes over Netty on loopback, each with its own data directory;
 * writes, lock contention between two clients, SIGKILL of the leader, re-election, session expiry handing
 * the lock over with a higher fencing token, restart of the killed server, replica digests.
 */
@Tag("slow")
class ThreeProcessClusterTest {
  private static final long[] IDS = {1, 2, 3};

  @TempDir
  Path dir;

  private ServerProcesses servers;

  @BeforeEach
  void startCluster() throws IOException {
    servers = new ServerProcesses(dir, IDS);
    for (long id : IDS) {
      start(id);
    }
  }

  @AfterEach
  void killEveryProcess() throws InterruptedException {
    servers.close();
  }

  @Test
  void s1_s4_s9_s11_leaderKillKeepsEveryKeyAndHandsTheLockOnWithAHigherFencingToken() throws IOException {
    List<KvClient> clients = new ArrayList<>();
    for (long id : IDS) {
      clients.add(servers.client(id));
    }
    Checks checks = new Checks(System.out);
    new FailoverScenario(clients, new Processes(), checks, 2000).run();

    assertThat(checks.failed()).as("failed checks; node logs:%n%s", servers.logs()).isEmpty();
    // Every step ran: election, writes, contention, kill, re-election, expiry, integrity, restart, digests.
    assertThat(checks.passed()).isEqualTo(19);
    // The restarted server recovered through KvStateMachine.restore from the snapshot it had taken.
    assertThat(servers.logs()).contains("restored snapshot at");
  }

  /**
   * Issue 14 on real processes: every server loses its epoch files after a SIGKILL. Each restart must refuse
   * (exit with a message naming the epoch file) instead of starting with a forgotten promise, where each write
   * killed the leader in turn; with the files put back the cluster serves every key again.
   */
  @Test
  void everyServerLosingItsEpochFilesRefusesToRestartAndPuttingThemBackRecoversEveryKey() throws Exception {
    List<KvClient> clients = new ArrayList<>();
    for (long id : IDS) {
      clients.add(servers.client(id));
    }
    assertThat(settled(clients)).as("a leader; logs:%n%s", servers.logs()).isTrue();
    Map<String, String> written = new java.util.TreeMap<>();
    for (int i = 0; i < 5; i++) {
      String key = "k" + i;
      String value = "v" + i;
      KvClient client = clients.get(i % 3); // followers forward (S9)
      assertThat(Poll.until(Duration.ofSeconds(20), () -> client.put(key, value).ok() ? true : null).value())
          .as("put %s", key).isPresent();
      written.put(key, value);
    }
    killAll();
    Path aside = dir.resolve("epochs-aside");
    for (long id : IDS) {
      Path epochs = dir.resolve("node-" + id).resolve("epochs");
      Files.move(epochs, Files.createDirectories(aside).resolve("node-" + id));
      Files.createDirectories(epochs); // the directory is left, its files are gone
    }

    for (long id : IDS) {
      start(id);
    }
    for (long id : IDS) {
      Process p = servers.process(id);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("server %d exits; logs:%n%s", id, servers.logs()).isTrue();
      assertThat(p.exitValue()).isNotZero();
      assertThat(Files.readString(servers.log(id))).contains("refuses to start")
          .contains(dir.resolve("node-" + id).resolve("epochs").resolve("epochs").toString());
    }

    for (long id : IDS) {
      Path epochs = dir.resolve("node-" + id).resolve("epochs");
      Files.delete(epochs);
      Files.move(aside.resolve("node-" + id), epochs);
      start(id);
    }
    assertThat(settled(clients)).as("a leader again; logs:%n%s", servers.logs()).isTrue();
    for (KvClient c : clients) {
      for (Map.Entry<String, String> e : written.entrySet()) {
        assertThat(c.get(e.getKey(), true).text("value")).as("%s on %s", e.getKey(), c.baseUrl()).isEqualTo(e.getValue());
      }
    }
  }

  private static boolean settled(List<KvClient> clients) {
    return Poll.until(Duration.ofSeconds(60), () -> ClusterView.read(clients).settledLeader(3).orElse(null))
        .value().isPresent();
  }

  private void killAll() throws InterruptedException {
    for (long id : IDS) {
      servers.kill(id);
    }
  }

  private void start(long id) throws IOException {
    // Snapshots every 5 txns: the restarted server recovers from its own snapshot plus the log after it.
    servers.start(id, List.of("--peers", servers.peers(IDS), "--session-tick-ms", "100", "--snapshot-every", "5"));
  }

  /** Crashes and restarts the test's child processes. */
  private final class Processes implements NodeControl {
    @Override
    public String kill(long id) throws Exception {
      return servers.kill(id);
    }

    @Override
    public boolean restart(long id) throws IOException {
      start(id);
      return true;
    }
  }
}
