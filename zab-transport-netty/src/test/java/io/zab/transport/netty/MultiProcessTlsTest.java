package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.fixtures.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three zab servers in three JVMs over mutual TLS: kill -9 the leader, a new one is elected, the killed server
 * restarts on its data directory, rejoins and catches up; every acknowledged write is on all three.
 */
class MultiProcessTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private final Map<Long, ZabProcess> processes = new HashMap<>();
  private String memberArg;
  private TestPki pki;

  private void start(long sid) throws Exception {
    TlsConfig tls = pki.server(sid);
    ZabProcess p = ZabProcess.start(dir.resolve("server-" + sid + ".log"), String.valueOf(sid),
        dir.resolve("data-" + sid).toString(), tls.certChain().toString(), tls.privateKey().toString(),
        tls.trustBundle().toString(), memberArg);
    p.await(0, ("STARTED " + sid)::equals, WAIT);
    processes.put(sid, p);
  }

  /** Polls statuses until one process leads and every other follows it, all serving read barriers. */
  private long awaitSettledLeader() {
    long[] leader = {0};
    LocalCluster.awaitCondition(WAIT, () -> {
      Map<Long, String[]> status = new HashMap<>();
      for (Map.Entry<Long, ZabProcess> e : processes.entrySet()) {
        try {
          status.put(e.getKey(), e.getValue().ask("status", "STATUS", Duration.ofSeconds(5)).split(" "));
        } catch (Exception | AssertionError failed) {
          return false;
        }
      }
      List<Long> leaders = status.entrySet().stream().filter(s -> s.getValue()[1].equals("LEADING"))
          .map(Map.Entry::getKey).toList();
      if (leaders.size() != 1) {
        return false;
      }
      long l = leaders.get(0);
      boolean settled = status.values().stream().allMatch(s -> s[2].equals(String.valueOf(l)) && s[3].equals("true"));
      leader[0] = l;
      return settled;
    }, () -> "a settled leader among " + processes.keySet());
    return leader[0];
  }

  private void write(long on, String payload, List<String> acked) throws Exception {
    String answer = processes.get(on).ask("submit " + payload, "ACK " + payload, WAIT);
    assertThat(answer).isEqualTo("ACK " + payload);
    acked.add(payload);
  }

  @Test
  void killTheLeaderProcessRestartItAndLoseNoAckedWrite() throws Exception {
    pki = TestPki.create(dir, "process-ca");
    List<Member> members = TestCluster.members(3);
    memberArg = members.stream().map(m -> m.id() + "=" + m.host() + ":" + m.port()).collect(Collectors.joining(","));
    List<String> acked = new ArrayList<>();
    try {
      for (long sid = 1; sid <= 3; sid++) {
        start(sid);
      }
      long first = awaitSettledLeader();
      for (int i = 0; i < 20; i++) {
        write(1 + i % 3, "a" + i, acked);
      }

      long killedAt = System.nanoTime();
      processes.remove(first).kill9();
      long second = awaitSettledLeader();
      long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
      assertThat(second).isNotEqualTo(first);
      List<Long> alive = List.copyOf(processes.keySet());
      for (int i = 0; i < 20; i++) {
        write(alive.get(i % 2), "b" + i, acked);
      }

      long restartedAt = System.nanoTime();
      start(first);
      awaitSettledLeader();
      long rejoinMillis = (System.nanoTime() - restartedAt) / 1_000_000;
      write(first, "c", acked);
      for (Map.Entry<Long, ZabProcess> p : processes.entrySet()) {
        LocalCluster.awaitCondition(WAIT, () -> {
          try {
            return dumped(p.getValue()).size() == acked.size();
          } catch (Exception e) {
            return false;
          }
        }, () -> "server " + p.getKey() + " to apply " + acked.size() + " txns");
        assertThat(dumped(p.getValue())).as("server %d", p.getKey()).containsExactlyElementsOf(acked);
      }
      System.out.printf("multi-process TLS: leader %d killed (-9), leader %d settled after %d ms; restarted %d "
          + "rejoined and settled after %d ms (incl. JVM start)%n", first, second, failoverMillis, first, rejoinMillis);
    } finally {
      for (ZabProcess p : processes.values()) {
        p.stop();
      }
    }
  }

  private static List<String> dumped(ZabProcess p) throws Exception {
    String line = p.ask("dump", "APPLIED", Duration.ofSeconds(10));
    List<String> items = new ArrayList<>(Arrays.asList(line.split(" ")));
    items.remove(0);
    return items;
  }
}
