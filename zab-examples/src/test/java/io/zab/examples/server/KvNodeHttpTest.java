package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import io.zab.examples.client.KvClient.Response;
import io.zab.examples.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API and node program over a one-process log: routes, long-polls, heartbeats, expiry. */
class KvNodeHttpTest {
  private KvNode node;
  private KvClient client;

  @BeforeEach
  void start() throws Exception {
    KvNode.Settings s = new KvNode.Settings(1, "127.0.0.1", 0, Duration.ofMillis(50), Duration.ofMillis(20),
        Duration.ofSeconds(5));
    node = KvNode.start(s, SingleProcessLog::new);
    client = new KvClient("http://127.0.0.1:" + node.httpAddress().getPort());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void putGetDeleteAndCompareAndSet() {
    Response put = client.put("a/b c+d", "v1");
    assertThat(put.status()).isEqualTo(200);
    assertThat(client.get("a/b c+d", false).text("value")).isEqualTo("v1");
    assertThat(client.get("a/b c+d", true).number("version")).isEqualTo(put.number("version"));
    assertThat(client.cas("a/b c+d", "wrong", "v2").status()).isEqualTo(409);
    assertThat(client.cas("a/b c+d", "v1", "v2").flag("swapped")).isTrue();
    assertThat(client.cas("new", null, "x").status()).isEqualTo(200);
    assertThat(client.delete("a/b c+d").flag("deleted")).isTrue();
    assertThat(client.get("a/b c+d", true).status()).isEqualTo(404);
    assertThat(client.status().body()).containsEntry("role", "LEADING").containsEntry("established", true)
        .containsEntry("keys", 1L);
  }

  @Test
  void badRequestsSayWhatIsWrong() {
    assertThat(client.openSession(10)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text("error")).isEqualTo("timeoutMs must be an integer >= 500, got 10");
    });
    assertThat(client.acquire("L", 1, -1).text("error")).contains("waitMs must be in [0, 300000], got -1");
    assertThat(client.acquire("L", 12345, 0)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text("error")).isEqualTo("session 12345 does not exist (closed or expired)");
    });
  }

  @Test
  void s11_longPollWaiterGetsTheLockInFifoOrderWithAHigherFencingToken() throws Exception {
    long a = client.openSession(5000).number("session");
    long b = client.openSession(5000).number("session");
    long c = client.openSession(5000).number("session");
    Response first = client.acquire("L", a, 0);
    assertThat(first.flag("granted")).isTrue();
    assertThat(client.acquire("L", b, 0).status()).isEqualTo(409); // try-acquire: busy

    CompletableFuture<Response> waitB = CompletableFuture.supplyAsync(() -> client.acquire("L", b, 20_000));
    Await.until("b queued", Duration.ofSeconds(5), () -> client.lock("L").body().get("waiters").equals(List.of(b)));
    CompletableFuture<Response> waitC = CompletableFuture.supplyAsync(() -> client.acquire("L", c, 20_000));
    Await.until("c queued", Duration.ofSeconds(5), () -> client.lock("L").body().get("waiters").equals(List.of(b, c)));

    assertThat(client.release("L", a).flag("released")).isTrue();
    Response grantB = waitB.get(10, TimeUnit.SECONDS);
    assertThat(grantB.flag("granted")).isTrue();
    assertThat(grantB.number("fencingToken")).isGreaterThan(first.number("fencingToken"));
    assertThat(waitC.isDone()).isFalse();
    assertThat(client.release("L", b).flag("released")).isTrue();
    assertThat(waitC.get(10, TimeUnit.SECONDS).number("fencingToken")).isGreaterThan(grantB.number("fencingToken"));
  }

  @Test
  void s11_waitThatTimesOutLeavesTheQueue() {
    long a = client.openSession(5000).number("session");
    long b = client.openSession(5000).number("session");
    client.acquire("L", a, 0);
    Response r = client.acquire("L", b, 300);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.flag("timedOut")).isTrue();
    assertThat(client.lock("L").body().get("waiters")).isEqualTo(List.of());
  }

  @Test
  void s9_s11_expiredHolderReleasesTheLockToAWaiterThatKeepsHeartbeating() throws Exception {
    long holder = client.openSession(600).number("session");
    long waiter = client.openSession(600).number("session");
    long firstToken = client.acquire("L", holder, 0).number("fencingToken");
    CompletableFuture<Response> wait = CompletableFuture.supplyAsync(() -> client.acquire("L", waiter, 20_000));
    // Only the waiter heartbeats; the holder's session expires through the leader's Tick txns.
    Response granted = Await.value("waiter granted", Duration.ofSeconds(15), () -> {
      assertThat(client.heartbeat(waiter).flag("alive")).isTrue();
      return wait.isDone() ? wait.join() : null;
    });
    assertThat(granted.flag("granted")).isTrue();
    assertThat(granted.number("fencingToken")).isGreaterThan(firstToken);
    assertThat(client.heartbeat(holder).status()).isEqualTo(404);
    assertThat(client.lock("L").number("holder")).isEqualTo(waiter);
  }

  @Test
  void heartbeatsOfManySessionsShareTxns() {
    long[] sessions = new long[20];
    for (int i = 0; i < sessions.length; i++) {
      sessions[i] = client.openSession(5000).number("session");
    }
    String before = client.status().text("lastZxid");
    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(sessions.length);
    try {
      List<CompletableFuture<Response>> beats = new java.util.ArrayList<>();
      for (long s : sessions) {
        beats.add(CompletableFuture.supplyAsync(() -> client.heartbeat(s), clients));
      }
      beats.forEach(f -> assertThat(f.join().flag("alive")).isTrue());
    } finally {
      clients.shutdownNow();
    }
    long txns = io.zab.Zxid.parse(client.status().text("lastZxid")).counter() - io.zab.Zxid.parse(before).counter();
    // 20 heartbeats, batched every 20 ms: far fewer txns than heartbeats (ticks may add a few).
    assertThat(txns).isLessThan(20);
  }

  @Test
  void listsTheKeysUnderAPrefixWithTheirValues() {
    client.put("a-1", "x");
    client.put("a-2", "y z");
    client.put("ab", "w");
    client.put("b-1", "v");
    client.delete("a-2");
    Response r = client.list("a-", true);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.number("count")).isEqualTo(1);
    assertThat(r.body().get("entries")).isEqualTo(java.util.Map.of("a-1", "x"));
    assertThat(client.list("", false).number("count")).isEqualTo(3);
    assertThat(client.list("zzz", false).body().get("entries")).isEqualTo(java.util.Map.of());
  }
}
