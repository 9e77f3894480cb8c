package io.zab;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.transport.LocalNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the embedding example of docs/embedding.md ({@link CounterService}) as three servers in one JVM. */
class EmbeddingExampleTest {
  @TempDir
  Path dir;

  private final LocalNetwork net = LocalNetwork.create();
  private final List<Member> members = List.of(Member.local(1), Member.local(2), Member.local(3));
  private final List<CounterService> services = new ArrayList<>();

  @AfterEach
  void closeAll() {
    services.forEach(CounterService::close);
  }

  private CounterService server(long id) throws Exception {
    CounterService s = new CounterService(id, members, dir.resolve("server-" + id), net::transport);
    services.add(s);
    return s;
  }

  private static boolean serves(CounterService s) {
    return s.read().handle((v, e) -> e == null).join();
  }

  @Test
  void addsOnAnyServerAreCountedOnceEverywhereAndSurviveARestart() throws Exception {
    for (long id = 1; id <= 3; id++) {
      server(id);
    }
    awaitCondition(WAIT, () -> services.stream().allMatch(EmbeddingExampleTest::serves), () -> "an elected leader");
    List<CompletableFuture<Zxid>> adds = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      adds.add(services.get(i % 3).add(i));
    }
    for (CompletableFuture<Zxid> add : adds) {
      add.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    for (CounterService s : services) {
      assertThat(s.read().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(30 * 31 / 2);
    }

    services.remove(0).close(); // server 1 restarts from its own disk
    CounterService restarted = server(1);
    awaitCondition(WAIT, () -> serves(restarted), () -> "server 1 to rejoin");
    assertThat(restarted.read().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(465);
  }
}
