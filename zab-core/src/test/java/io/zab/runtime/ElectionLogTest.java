package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabNode;
import io.zab.fixtures.CapturedLog;
import io.zab.fixtures.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3: one INFO line per election and server, naming the epoch, the winner, the time it took and the votes seen. */
class ElectionLogTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void everyServerLogsOneSummaryPerElection() throws Exception {
    try (CapturedLog log = CapturedLog.start()) {
      cluster = new LocalCluster(dir, 3).startAll();
      ZabNode leader = cluster.awaitLeader();
      // how many attempts an election takes depends on the machine's load (a round may time out on a busy machine), so
      // the summary's format is checked, not its count of attempts
      for (long id : cluster.ids()) {
        String prefix = "server " + id + " election done: epoch " + leader.epoch() + ", leader " + leader.serverId()
            + ", this server " + (id == leader.serverId() ? "LEADING" : "FOLLOWING") + "; took ";
        awaitCondition(WAIT, () -> !log.lines(prefix).isEmpty(), () -> "the summary of server " + id);
        List<String> lines = log.lines("server " + id + " election done");
        assertThat(lines).hasSize(1).allMatch(l -> l.contains(" INFO ")
            && l.matches(".* took \\d+ ms \\(\\d+ ticks, \\d+ attempts?\\), votes seen from \\[.*" + id + ".*\\]"));
      }

      long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
      cluster.stop(leader.serverId());
      ZabNode next = cluster.awaitLeader();
      awaitCondition(WAIT, () -> log.lines("server " + follower + " election done").size() == 2,
          () -> "a second summary of server " + follower);
      assertThat(log.lines("server " + follower + " election done: epoch " + next.epoch() + ", leader "
          + next.serverId())).hasSize(1);
    }
  }
}
