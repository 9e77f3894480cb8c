package io.zab.testkit;

import static io.zab.testkit.ZabAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, protocol-aware recovery on real nodes with real files: a byte flipped in the middle of a segment is found
 * at restart and repaired from the ensemble with no operator action, and what the server logs names the file, the
 * offset and the repair; with more damaged servers than the ensemble tolerates, they say so and wait, and nothing
 * acknowledged is lost once an operator restores one.
 */
class LogRepairTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** What the servers log (slf4j-simple writes to System.err). */
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private PrintStream err;

  @BeforeEach
  void captureLog() {
    err = System.err;
    System.setErr(new PrintStream(new Tee(err, logged), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(err);
  }

  @Test
  void aFollowerWithAByteFlippedMidSegmentRepairsAndRejoinsWithEveryKey() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long victim = leader == 1 ? 2 : 1;
      Zxid last = writeKeys(cluster, leader, 40);
      cluster.awaitApplied(last);
      cluster.stop(victim);
      Path segment = flipLastByteOf(cluster.dataDir(victim).resolve("log"), "key-20");

      cluster.start(victim);
      cluster.await("server " + victim + " repaired and following again", WAIT,
          () -> !Files.exists(cluster.dataDir(victim).resolve("repairing")) && cluster.role(victim) == Role.FOLLOWING);
      Zxid after = cluster.write(cluster.awaitLeader(), "after-repair");
      cluster.awaitApplied(after);

      RecordingStateMachine sm = cluster.stateMachine(victim);
      assertThat(sm.texts()).as("every key, in order, on the repaired server").containsExactlyElementsOf(
          expectedKeys(40, "after-repair"));
      assertThat(cluster).hasNoViolations();
      String log = logged();
      assertThat(log).contains("REPAIRING").contains(segment.getFileName().toString()).contains("byte offset")
          .contains("server " + victim + ": repair done");
    }
  }

  @Test
  void twoOfThreeDamagedSayTheyCannotRepairAndWaitUntilAnOperatorRestoresOne() throws IOException {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      List<Long> damaged = cluster.ids().stream().filter(id -> id != leader).toList();
      Zxid last = writeKeys(cluster, leader, 40);
      cluster.awaitApplied(last);
      damaged.forEach(cluster::stop);
      // Started while the healthy leader still leads (it gives up only after syncLimit without a quorum), the damaged
      // servers would rightly follow and be repaired by it: the story is about a leaderless ensemble.
      cluster.await("the healthy leader gives up without a quorum", WAIT,
          () -> cluster.role(leader) != Role.LEADING);
      Path backup = Files.createTempDirectory("zab-backup");
      copy(cluster.dataDir(damaged.get(0)), backup); // the operator's backup of the first, taken while it is down
      for (long id : damaged) {
        flipLastByteOf(cluster.dataDir(id).resolve("log"), "key-20");
      }

      damaged.forEach(id -> cluster.start(id));
      cluster.await("the healthy server says which voters repair and that it waits", WAIT,
          () -> logged().contains("are repairing damaged logs and do not vote"));
      cluster.await("a repairing server says it waits for a leader elected by the others", WAIT,
          () -> logged().contains("no leader elected by the other voters"));
      assertThat(cluster.ids()).as("nobody leads: the only healthy voter is no quorum")
          .allSatisfy(id -> assertThat(cluster.role(id)).isNotEqualTo(Role.LEADING));

      long restored = damaged.get(0);
      cluster.stop(restored);
      deleteTree(cluster.dataDir(restored));
      copy(backup, cluster.dataDir(restored));
      cluster.start(restored);
      long next = cluster.awaitLeader();
      Zxid after = cluster.write(next, "after-restore");
      cluster.awaitApplied(after);
      cluster.await("the other damaged server repaired", WAIT,
          () -> !Files.exists(cluster.dataDir(damaged.get(1)).resolve("repairing")));
      for (long id : cluster.ids()) {
        RecordingStateMachine sm = cluster.stateMachine(id);
        assertThat(sm.texts()).as("server %d has every acknowledged write", id)
            .containsExactlyElementsOf(expectedKeys(40, "after-restore"));
      }
      assertThat(cluster).hasNoViolations();
      deleteTree(backup);
    }
  }

  private static Zxid writeKeys(NodeCluster cluster, long on, int n) {
    Zxid last = Zxid.ZERO;
    for (int i = 1; i <= n; i++) {
      last = cluster.write(on, "key-" + i);
    }
    return last;
  }

  private static List<String> expectedKeys(int n, String then) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add("key-" + i);
    }
    out.add(then);
    return out;
  }

  private String logged() {
    synchronized (logged) {
      return logged.toString(StandardCharsets.UTF_8);
    }
  }

  /** Flips a bit in the last byte of {@code text} in the segment that holds it; returns that segment. */
  private static Path flipLastByteOf(Path logDir, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.sorted().toList()) {
        byte[] b = Files.readAllBytes(f);
        for (int i = 0; i + needle.length <= b.length; i++) {
          if (Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)
              && (i + needle.length == b.length || !Character.isDigit(b[i + needle.length]))) {
            b[i + needle.length - 1] ^= 0x01;
            Files.write(f, b);
            return f;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no segment under " + logDir + " holds " + text);
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("lock")) {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Writes to the real stream and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream out, ByteArrayOutputStream copy) {
      this.out = out;
      this.copy = copy;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      synchronized (copy) {
        copy.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      synchronized (copy) {
        copy.write(b, off, len);
      }
    }
  }
}
