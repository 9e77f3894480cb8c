package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.Timeouts;
import io.zab.ZabNode;
import io.zab.examples.client.ClusterView;
import io.zab.examples.client.KvClient;
import io.zab.examples.client.KvClient.Response;
import io.zab.examples.testing.Await;
import io.zab.transport.LocalNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real ZabNodes over zab's in-JVM network, each behind its own HTTP API: partitions and catch-up. */
class InJvmClusterTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final LocalNetwork net = LocalNetwork.create();
  private final List<Member> members = List.of(Member.local(1), Member.local(2), Member.local(3));
  private final Map<Long, KvNode> nodes = new LinkedHashMap<>();
  private final Map<Long, KvClient> clients = new LinkedHashMap<>();

  @BeforeEach
  void start() throws IOException {
    for (Member m : members) {
      KvNode.Settings s = new KvNode.Settings(m.id(), "127.0.0.1", 0, Duration.ofMillis(50), Duration.ofMillis(20),
          Duration.ofSeconds(3));
      KvNode node = KvNode.start(s, sm -> {
        ZabNode zab = ZabNode.builder().serverId(m.id()).members(members).dataDir(dir.resolve("n" + m.id()))
            .transport(net::transport).stateMachine(sm).tick(Duration.ofMillis(20))
            .timeouts(Timeouts.defaults().scaledBy(0.4)).snapshotEveryTxns(5).build();
        try {
          return ZabNodeLog.start(zab);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      nodes.put(m.id(), node);
      clients.put(m.id(), new KvClient("http://127.0.0.1:" + node.httpAddress().getPort()));
    }
  }

  @AfterEach
  void stop() {
    nodes.values().forEach(KvNode::close);
  }

  private long awaitLeader(List<Long> ids) {
    List<KvClient> cs = ids.stream().map(clients::get).toList();
    try {
      return Await.value("a leader among " + ids, SETTLE,
          () -> ClusterView.read(cs).settledLeader(ids.size()).orElse(null));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + ClusterView.read(List.copyOf(clients.values())).table(), e);
    }
  }

  @Test
  void s10_isolatedFollowerCommitsNothingWhileTheMajorityCarriesOn() {
    long leader = awaitLeader(List.of(1L, 2L, 3L));
    long away = members.stream().map(Member::id).filter(id -> id != leader).findFirst().orElseThrow();
    assertThat(clients.get(away).put("before", "1").status()).isEqualTo(200);
    net.isolate(away);

    Response minority = clients.get(away).put("minority", "lost");
    assertThat(minority.status()).as("write on the isolated follower: %s", minority).isIn(503, 504);
    assertThat(clients.get(leader).put("majority", "kept").status()).isEqualTo(200);

    healAndCheckOnlyTheMajorityWriteCommitted();
  }

  @Test
  void s10_isolatedLeaderCommitsNothingWhileTheMajorityCarriesOn() {
    long leader = awaitLeader(List.of(1L, 2L, 3L));
    assertThat(clients.get(leader).put("before", "1").status()).isEqualTo(200);
    net.isolate(leader);

    Response minority = clients.get(leader).put("minority", "lost");
    assertThat(minority.status()).as("write on the isolated leader: %s", minority).isIn(503, 504);

    List<Long> majority = members.stream().map(Member::id).filter(id -> id != leader).toList();
    long newLeader = awaitLeader(majority);
    assertThat(newLeader).isNotEqualTo(leader);
    assertThat(clients.get(majority.get(0)).put("majority", "kept").status()).isEqualTo(200);

    healAndCheckOnlyTheMajorityWriteCommitted();
  }

  private void healAndCheckOnlyTheMajorityWriteCommitted() {
    net.heal();
    awaitLeader(List.of(1L, 2L, 3L));
    for (KvClient c : clients.values()) {
      assertThat(c.get("before", true).text("value")).isEqualTo("1");
      assertThat(c.get("majority", true).text("value")).isEqualTo("kept");
      assertThat(c.get("minority", true).status()).as("the minority write never commits (S10)").isEqualTo(404);
    }
  }

  @Test
  void followerThatWasAwayCatchesUpAndReplicasAgree() {
    long leader = awaitLeader(List.of(1L, 2L, 3L));
    long away = members.stream().map(Member::id).filter(id -> id != leader).findFirst().orElseThrow();
    net.isolate(away);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      keys.add("k" + i);
      assertThat(clients.get(leader).put("k" + i, "v" + i).status()).isEqualTo(200);
    }
    net.heal();
    awaitLeader(List.of(1L, 2L, 3L));
    KvClient c = clients.get(away);
    for (int i = 0; i < keys.size(); i++) {
      assertThat(c.get(keys.get(i), true).text("value")).isEqualTo("v" + i);
    }
    Await.until("equal digests at equal zxids", SETTLE, () -> {
      List<Map<String, Object>> s = clients.values().stream().map(k -> k.status().body()).toList();
      return s.stream().map(m -> m.get("appliedZxid")).distinct().count() == 1
          && s.stream().map(m -> m.get("stateDigest")).distinct().count() == 1;
    });
    assertThat(Set.copyOf(clients.values().stream().map(k -> k.status().text("stateDigest")).toList())).hasSize(1);
  }
}
