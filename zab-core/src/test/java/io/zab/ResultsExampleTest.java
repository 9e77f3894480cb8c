package io.zab;

import static io.zab.runtime.LocalCluster.WAIT;
import static io.zab.runtime.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.AccountService.Outcome;
import io.zab.transport.LocalNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the results example of docs/embedding.md ({@link AccountService}) as three servers in one JVM. */
class ResultsExampleTest {
  @TempDir
  Path dir;

  private final LocalNetwork net = LocalNetwork.create();
  private final List<Member> members = List.of(Member.local(1), Member.local(2), Member.local(3));
  private final List<AccountService> services = new ArrayList<>();

  @AfterEach
  void closeAll() {
    services.forEach(AccountService::close);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void eachServerGetsTheOutcomeOfItsOwnChanges_andRefusalsAreOutcomesToo() throws Exception {
    for (long id = 1; id <= 3; id++) {
      services.add(new AccountService(id, members, dir.resolve("server-" + id), net::transport));
    }
    awaitCondition(WAIT, () -> services.stream().allMatch(s -> s.read().handle((v, e) -> e == null).join()),
        () -> "an elected leader");
    assertThat(await(services.get(0).change(100))).isEqualTo(new Outcome.Done(100));
    assertThat(await(services.get(1).change(-150))).isEqualTo(new Outcome.Refused(100, -150));
    assertThat(await(services.get(2).change(-60))).isEqualTo(new Outcome.Done(40));

    List<CompletableFuture<Outcome>> withdrawals = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      withdrawals.add(services.get(i % 3).change(-10)); // from every server at once: 4 of 10 can succeed
    }
    int done = 0;
    for (CompletableFuture<Outcome> w : withdrawals) {
      done += await(w) instanceof Outcome.Done ? 1 : 0;
    }
    assertThat(done).isEqualTo(4);
    for (AccountService s : services) {
      assertThat(await(s.read())).isZero();
    }
  }
}
