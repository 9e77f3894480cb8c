package io.zab.examples.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Member;
import io.zab.Timeouts;
import io.zab.ZabNode;
import io.zab.examples.client.KvClient.Response;
import io.zab.examples.server.KvNode;
import io.zab.examples.server.ZabNodeLog;
import io.zab.examples.testing.Await;
import io.zab.transport.LocalNetwork;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The membership commands end to end: real ZabNodes on zab's in-JVM network, each behind its HTTP API, driven by
 * the CLI ({@code members}, {@code add-member}, {@code remove-member}, {@code transfer-leader}) and by raw HTTP for
 * the error paths: a change derived from an old version (409 with the current version), a change while another is
 * under way (409), a new voter that never catches up (504), unknown servers (404), bad input (400).
 */
class MemberCommandsTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final LocalNetwork net = LocalNetwork.create();
  private final List<Member> voters = List.of(member(1), member(2), member(3));
  private final Map<Long, KvNode> nodes = new LinkedHashMap<>();
  private final Map<Long, KvClient> clients = new LinkedHashMap<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** The in-JVM network routes by id; the addresses only need to be valid HOST:PORT text. */
  private static Member member(long id) {
    return new Member(id, "127.0.0.1", 20_000 + (int) id);
  }

  private static String address(long id) {
    return "127.0.0.1:" + (20_000 + id);
  }

  @BeforeEach
  void startThreeVoters() {
    for (Member m : voters) {
      start(m.id(), List.of());
    }
  }

  @AfterEach
  void stop() {
    nodes.values().forEach(KvNode::close);
  }

  private void start(long id, List<Member> observers) {
    KvNode.Settings s = new KvNode.Settings(id, "127.0.0.1", 0, Duration.ofMillis(50), Duration.ofMillis(20),
        Duration.ofSeconds(5));
    try {
      KvNode node = KvNode.start(s, sm -> {
        ZabNode zab = ZabNode.builder().serverId(id).members(voters).observers(observers)
            .dataDir(dir.resolve("n" + id)).transport(net::transport).stateMachine(sm).tick(Duration.ofMillis(20))
            .timeouts(Timeouts.defaults().scaledBy(0.4)).build();
        try {
          return ZabNodeLog.start(zab);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      nodes.put(id, node);
      clients.put(id, new KvClient(url(id)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private KvClient client(long id) {
    return clients.get(id);
  }

  private String url(long id) {
    return "http://127.0.0.1:" + nodes.get(id).httpAddress().getPort();
  }

  private long awaitLeader(List<Long> ids) {
    List<KvClient> cs = ids.stream().map(this::client).toList();
    return Await.value("a leader among " + ids, SETTLE, () -> ClusterView.read(cs).settledLeader(ids.size())
        .orElse(null));
  }

  private int cli(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return ZabCli.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private MembersView members(long on) {
    return MembersView.of(client(on).members(true));
  }

  private static long follower(long leader) {
    return leader == 1 ? 2 : 1;
  }

  @Test
  void aNewServerWaitsWithoutDisturbingTheEnsembleThenAddMemberMakesItAVoterWithEveryKey() {
    long leader = awaitLeader(List.of(1L, 2L, 3L));
    long epoch = client(leader).status().number("epoch");
    for (int i = 0; i < 10; i++) {
      assertThat(client(follower(leader)).put("k" + i, "v" + i).status()).isEqualTo(200);
    }

    // Server 4 starts as docs/operations.md says: the current voters as members, itself an observer.
    start(4, List.of(member(4)));
    for (int i = 10; i < 20; i++) {
      assertThat(client(leader).put("k" + i, "v" + i).status()).as("writes go on").isEqualTo(200);
    }
    assertThat(client(4).status().text("role")).as("not a member yet: takes no part").isEqualTo("LOOKING");
    assertThat(client(leader).status().number("epoch")).as("no election").isEqualTo(epoch);
    assertThat(members(leader).member(4)).isEmpty();

    assertThat(cli("add-member", "4", address(4), "--server", url(follower(leader)))).as("stderr: %s", err).isZero();
    assertThat(out.toString()).startsWith("server 4 at " + address(4) + " is a voter (configuration version 0x0:0x0"
        + " -> ").contains("  4    VOTER     " + address(4));

    assertThat(awaitLeader(List.of(1L, 2L, 3L, 4L))).as("the leader stays").isEqualTo(leader);
    assertThat(client(leader).status().number("epoch")).as("no election").isEqualTo(epoch);
    for (int i = 0; i < 20; i++) {
      assertThat(client(4).get("k" + i, true).text("value")).isEqualTo("v" + i);
    }
    MembersView on4 = members(4);
    assertThat(on4.member(4)).hasValueSatisfying(e -> assertThat(e.voter()).isTrue());
    assertThat(on4.version()).isEqualTo(members(1).version()).isNotZero();
    assertThat(cli("members", "--server", url(4))).isZero();
    assertThat(out.toString()).contains("leader server " + leader).contains("  4    VOTER     " + address(4));
  }

  @Test
  void aChangeDerivedFromAnOldVersionIs409WithTheCurrentVersionAndTheCliSaysItLostTheRace() {
    awaitLeader(List.of(1L, 2L, 3L));
    KvClient c = client(2);
    MembersView read = members(2);
    Response first = c.putMember(5, address(5), true, read.version(), 0, Duration.ofSeconds(5));
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    long current = first.number("version");

    Response second = c.putMember(6, address(6), true, read.version(), 0, Duration.ofSeconds(5));
    assertThat(second.status()).as("%s", second).isEqualTo(409);
    assertThat(second.text("type")).isEqualTo("StaleConfigurationException");
    assertThat(second.number("currentVersion")).isEqualTo(current);
    assertThatThrownBy(() -> MemberCommands.report(new ZabCli(new PrintWriter(out)), c, second, read, "added",
        m -> true))
        .hasMessageStartingWith("lost a race: the configuration changed after it was read (version 0x0:0x0 read, "
            + second.text("currentVersionZxid") + " now): nothing was changed");
    assertThat(members(2).member(6)).as("nothing was changed").isEmpty();
    assertThat(members(2).member(5)).hasValueSatisfying(e -> assertThat(e.role()).isEqualTo("OBSERVER"));

    assertThat(cli("transfer-leader", "5", "--server", url(2))).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString().isEqualTo("zab-cli: leadership was not moved to"
        + " server 5: server 5 is an observer: only a voter can lead (add it as a voter first) (HTTP 400)");
  }

  @Test
  void aChangeWhileAnotherIsUnderWayIs409AndANewVoterThatNeverCatchesUpIs504WithNothingChanged() throws Exception {
    long leader = awaitLeader(List.of(1L, 2L, 3L));
    KvClient c = client(follower(leader));
    long version = members(leader).version();
    // Server 7 does not run: the leader waits for it to catch up, 3 s at most.
    CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
        () -> c.putMember(7, address(7), false, version, 0, Duration.ofSeconds(3)));
    // A change that changes nothing is answered at once while no other change is under way, refused meanwhile.
    Response busy = Await.value("a change refused while server 7 catches up", SETTLE, () -> {
      Response r = c.putMember(1, address(1), false, version, 0, Duration.ofSeconds(1));
      return r.status() == 409 ? r : null;
    });
    assertThat(busy.text("type")).isEqualTo("ChangeInProgressException");
    assertThat(busy.number("currentVersion")).isEqualTo(version);

    Response timedOut = waiting.get(30, TimeUnit.SECONDS);
    assertThat(timedOut.status()).as("%s", timedOut).isEqualTo(504);
    assertThat(timedOut.text("type")).isEqualTo("CatchUpTimeoutException");
    assertThat(timedOut.flag("notApplied")).isTrue();

    assertThat(cli("add-member", "8", address(8), "--catch-up-timeout", "500ms", "--server", url(leader))).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString().startsWith("zab-cli: ")
        .contains("nothing was changed").endsWith("(HTTP 504, CatchUpTimeoutException)");
    MembersView after = members(leader);
    assertThat(after.version()).isEqualTo(version);
    assertThat(after.members()).extracting(MembersView.Entry::id).containsExactly(1L, 2L, 3L);
  }

  @Test
  void unknownServersAndBadInputAreNamedInOneLine() throws Exception {
    awaitLeader(List.of(1L, 2L, 3L));
    Response unknown = client(1).removeMember(9, 0);
    assertThat(unknown.status()).isEqualTo(404);

    assertThat(cli("remove-member", "9", "--server", url(1))).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString().isEqualTo("zab-cli: server 9 is not a member of"
        + " configuration 0x0:0x0 (voters [1, 2, 3]) (HTTP 404)");
    assertThat(cli("transfer-leader", "9", "--server", url(1))).isEqualTo(1);
    assertThat(err.toString()).contains("server 9 is not a member").contains("(HTTP 404)");
    assertThat(cli("add-member", "4", address(4), "--replacing", "9", "--server", url(1))).isEqualTo(1);
    assertThat(err.toString()).contains("server 9 is not a member");

    assertThat(cli("add-member", "5", "nohost", "--server", url(1))).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString()
        .isEqualTo("zab-cli: address 'nohost' of server 5: expected HOST:PORT (HTTP 400)");
    assertThat(cli("add-member", "5", "127.0.0.1:70000", "--server", url(1))).isEqualTo(1);
    assertThat(err.toString()).contains("port 70000 is not in 1-65535 (HTTP 400)");

    HttpResponse<String> noVersion = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(1)
        + "/members/5")).PUT(HttpRequest.BodyPublishers.ofString("{\"address\": \"" + address(5) + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(noVersion.body()).contains("\\\"version\\\" must be an integer (missing)");
    assertThat(members(1).members()).extracting(MembersView.Entry::id).containsExactly(1L, 2L, 3L);
  }

  @Test
  void transferLeaderMovesLeadershipAndRemoveMemberTakesTheServerOut() {
    long leader = awaitLeader(List.of(1L, 2L, 3L));
    long target = leader == 3 ? 2 : 3;
    assertThat(cli("transfer-leader", Long.toString(target), "--server", url(follower(leader))))
        .as("stderr: %s", err).isZero();
    assertThat(out.toString()).startsWith("server " + target + " leads (was server " + leader + ")");
    assertThat(awaitLeader(List.of(1L, 2L, 3L))).isEqualTo(target);

    assertThat(cli("remove-member", Long.toString(leader), "--server", url(target))).as("stderr: %s", err).isZero();
    assertThat(out.toString()).startsWith("server " + leader + " removed (configuration version ");
    List<Long> rest = new ArrayList<>(List.of(1L, 2L, 3L));
    rest.remove(leader);
    assertThat(members(target).members()).extracting(MembersView.Entry::id).containsExactlyElementsOf(rest);
    assertThat(client(rest.get(0)).put("after", "removal").status()).isEqualTo(200);
    Await.until("the removed server takes no part", SETTLE,
        () -> client(leader).status().text("role").equals("LOOKING"));
  }
}
