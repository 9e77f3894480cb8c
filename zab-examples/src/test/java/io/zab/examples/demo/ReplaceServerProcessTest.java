package io.zab.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import io.zab.examples.client.MembersView;
import io.zab.examples.client.ZabCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md, "Replace a failed server", on real processes over Netty: the leader of three servers is
 * killed for good; a new server with a new id on new ports joins (the current voters as {@code --peers}, itself
 * among {@code --observers}); one {@code add-member --replacing} makes it a voter and drops the dead one; the new
 * server has every key, also after a restart from its own data directory (whose configuration then wins over the
 * options it was started with).
 */
@Tag("slow")
class ReplaceServerProcessTest {
  private static final Duration SETTLE = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private ServerProcesses servers;

  @AfterEach
  void killEveryProcess() throws InterruptedException {
    if (servers != null) {
      servers.close();
    }
  }

  private long settled(long... ids) {
    return servers.settledLeader(SETTLE, ids);
  }

  @Test
  void aKilledLeaderIsReplacedByANewServerOnNewPortsThatHasEveryKey() throws Exception {
    servers = new ServerProcesses(dir, 1, 2, 3, 4);
    for (long id : new long[] {1, 2, 3}) {
      servers.start(id, List.of("--peers", servers.peers(1, 2, 3), "--snapshot-every", "5"));
    }
    long dead = settled(1, 2, 3);
    Map<String, String> written = new TreeMap<>();
    for (int i = 0; i < 12; i++) {
      written.put("k" + i, "v" + i);
      assertThat(servers.client(1 + i % 3).put("k" + i, "v" + i).status()).isEqualTo(200);
    }

    servers.kill(dead);
    long[] survivors = Arrays.stream(new long[] {1, 2, 3}).filter(id -> id != dead).toArray();
    settled(survivors);
    KvClient survivor = servers.client(survivors[0]);
    written.put("after-the-failure", "kept");
    assertThat(survivor.put("after-the-failure", "kept").status()).isEqualTo(200);

    String joinOptions = MembersView.of(survivor.members(true)).joinOptions(4, servers.peerAddress(4));
    assertThat(joinOptions).isEqualTo("--peers " + servers.peers(1, 2, 3) + " --observers 4=" + servers.peerAddress(4));
    servers.start(4, List.of(joinOptions.split(" ")));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ZabCli.run(new String[] {"add-member", "4", servers.peerAddress(4), "--replacing",
        Long.toString(dead), "--server", servers.url(survivors[0])}, Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertThat(code).as("stdout %s stderr %s logs:%n%s", out, err, servers.logs()).isZero();
    assertThat(out.toString()).contains("server 4 at " + servers.peerAddress(4) + " is a voter, server " + dead
        + " removed");

    long[] now = {survivors[0], survivors[1], 4};
    settled(now);
    MembersView members = MembersView.of(servers.client(4).members(true));
    assertThat(members.members()).extracting(MembersView.Entry::id)
        .containsExactlyInAnyOrder(survivors[0], survivors[1], 4L);
    assertThat(members.members()).allMatch(MembersView.Entry::voter);
    assertEveryKeyOn(4, written);

    // Restarted from its data directory, server 4 is a voter whatever its options say (they name it an observer).
    servers.kill(4);
    servers.start(4, List.of(joinOptions.split(" ")));
    settled(now);
    assertThat(servers.client(4).status().text("role")).isIn("FOLLOWING", "LEADING");
    assertEveryKeyOn(4, written);
  }

  private void assertEveryKeyOn(long id, Map<String, String> written) {
    KvClient c = servers.client(id);
    List<String> wrong = new ArrayList<>();
    written.forEach((k, v) -> {
      String got = c.get(k, true).text("value");
      if (!v.equals(got)) {
        wrong.add(k + "=" + got);
      }
    });
    assertThat(wrong).as("keys with another value on server %d", id).isEmpty();
  }
}
