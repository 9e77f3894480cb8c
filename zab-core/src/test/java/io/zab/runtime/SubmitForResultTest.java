package io.zab.runtime;

import static io.zab.runtime.LocalCluster.WAIT;
import static io.zab.runtime.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Applied;
import io.zab.ClosedException;
import io.zab.ResultUnavailableException;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.protocol.Timing;
import io.zab.runtime.TallyStateMachine.Reply;
import io.zab.transport.LocalNetwork;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on real nodes: {@code submitForResult} completes with the result of the submitting server's own apply,
 * on the leader and on a follower (forwarded, S9); an application error comes back as a result; a throwing apply
 * stops the node and fails the write; no server keeps results nobody waits for (forwarded writes of other servers,
 * replays after a restart); and a write that reaches its submitter inside the leader's snapshot (S7) fails with
 * {@link ResultUnavailableException}, while a plain submit of the same kind completes with its zxid.
 */
class SubmitForResultTest {
  /** FAST timing with a 5 s syncLimit, so a follower held back on purpose does not time out meanwhile. */
  private static final Timing PATIENT = new Timing(3, 10, 300, 250, 5);

  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  private final Map<Long, TallyStateMachine> tallies = new HashMap<>();

  private LocalCluster startTallies(int size, LocalNetwork net, UnaryOperator<ZabNode.Builder> tweak) throws Exception {
    cluster = new LocalCluster(dir, size, net, tweak);
    for (long id : cluster.ids()) {
      start(id);
    }
    return cluster;
  }

  /** Starts (or restarts) server {@code id} with a fresh tally, restored from its disk. */
  private ZabNode start(long id) throws Exception {
    TallyStateMachine tally = new TallyStateMachine();
    tallies.put(id, tally);
    return cluster.startWith(id, b -> b.stateMachine(tally));
  }

  private long followerOf(ZabNode leader) {
    return cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void S9_theSubmitterGetsTheResultOfItsOwnApply_onTheLeaderAndOnAFollower() throws Exception {
    startTallies(3, LocalNetwork.createWithCodec(), b -> b);
    ZabNode leader = cluster.awaitLeader();
    ZabNode follower = cluster.node(followerOf(leader));

    Applied<Reply> onLeader = await(leader.<Reply>submitForResult(bytes("5")));
    Applied<Reply> onFollower = await(follower.<Reply>submitForResult(bytes("7")));

    assertThat(onLeader.result()).isEqualTo(new Reply.Total(5));
    assertThat(onLeader.result()).isSameAs(tallies.get(leader.serverId()).replyOf(onLeader.zxid()));
    assertThat(onFollower.result()).isEqualTo(new Reply.Total(12));
    assertThat(onFollower.result()).as("the follower's own apply, not the leader's")
        .isSameAs(tallies.get(follower.serverId()).replyOf(onFollower.zxid()))
        .isNotSameAs(tallies.get(leader.serverId()).replyOf(onFollower.zxid()));
    assertThat(onFollower.zxid()).isGreaterThan(onLeader.zxid());
    assertThat(await(follower.submit(bytes("1")))).as("the plain submit is unchanged: the zxid")
        .isGreaterThan(onFollower.zxid());
  }

  @Test
  void anApplicationErrorComesBackAsAResult_andEveryReplicaStaysTheSame() throws Exception {
    startTallies(3, LocalNetwork.createWithCodec(), b -> b);
    ZabNode leader = cluster.awaitLeader();
    ZabNode follower = cluster.node(followerOf(leader));
    await(leader.submitForResult(bytes("4")));

    Applied<Reply> refused = await(follower.<Reply>submitForResult(bytes("-10")));
    assertThat(refused.result()).isEqualTo(new Reply.Refused("the total 4 cannot go below zero"));
    Applied<Reply> after = await(follower.<Reply>submitForResult(bytes("-3")));
    assertThat(after.result()).isEqualTo(new Reply.Total(1));
    for (long id : cluster.ids()) {
      await(cluster.node(id).sync());
      assertThat(tallies.get(id).total()).as("server %d", id).isEqualTo(1);
    }
  }

  @Test
  void anApplyThatThrowsStopsTheNode_andTheWriteFailsWithClosedExceptionCarryingTheCause() throws Exception {
    startTallies(1, LocalNetwork.createWithCodec(), b -> b);
    ZabNode node = cluster.awaitLeader();
    CompletableFuture<Applied<Reply>> poisoned = node.submitForResult(bytes("boom"));

    assertThatThrownBy(() -> await(poisoned)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("the state machine threw")
        .hasRootCauseMessage("boom at 0x1:0x1");
    assertThatThrownBy(() -> await(node.stopped())).cause().isInstanceOf(ClosedException.class)
        .hasRootCauseMessage("boom at 0x1:0x1");
  }

  @Test
  void noServerKeepsResultsNobodyWaitsFor_forwardedWritesOrReplaysAfterARestart() throws Exception {
    startTallies(3, LocalNetwork.createWithCodec(), b -> b);
    ZabNode leader = cluster.awaitLeader();
    long submitter = followerOf(leader);
    long other = cluster.ids().stream().filter(id -> id != submitter && id != leader.serverId()).findFirst()
        .orElseThrow();
    Applied<Reply> held = await(cluster.node(submitter).<Reply>submitForResult(bytes("2")));
    for (int i = 0; i < 20; i++) {
      await(cluster.node(other).submit(bytes("1"))); // plain: nobody waits for these results anywhere
    }
    for (long id : cluster.ids()) {
      await(cluster.node(id).sync());
    }
    assertThat(TallyStateMachine.collectUntil(() -> heldElsewhere(submitter) == 0 && heldOn(submitter) == 1))
        .as("results held after full collections: on the submitter %d, elsewhere %d", heldOn(submitter),
            heldElsewhere(submitter))
        .isTrue();
    assertThat(tallies.get(submitter).replyOf(held.zxid())).isSameAs(held.result());

    cluster.stop(other);
    start(other); // replays its log: 21 applies, nobody waiting
    cluster.awaitLeader();
    await(cluster.node(other).sync());
    assertThat(tallies.get(other).total()).isEqualTo(22);
    assertThat(tallies.get(other).appliedCount()).isEqualTo(21);
    assertThat(TallyStateMachine.collectUntil(() -> heldOn(other) == 0)).as("held after the replay: %d", heldOn(other))
        .isTrue();
  }

  private long heldOn(long id) {
    return tallies.get(id).resultsStillHeld();
  }

  private long heldElsewhere(long id) {
    return cluster.ids().stream().filter(i -> i != id).mapToLong(this::heldOn).sum();
  }

  /**
   * S7: a follower that stopped reading falls so far behind that the leader compacts its position away and sends
   * its snapshot. A write the follower forwarded meanwhile commits inside that snapshot: the follower never applies
   * it, so it has no result to hand over; the write's future says so with the zxid it committed at.
   */
  @Test
  void S7_aWriteThatReachesItsSubmitterInsideTheLeadersSnapshotFailsWithResultUnavailable() throws Exception {
    LocalNetwork net = LocalNetwork.createWithCodec();
    startTallies(3, net, b -> b.timing(PATIENT).maxInFlightBytes(1 << 20).snapshotEveryTxns(20));
    ZabNode leader = cluster.awaitLeader();
    ZabNode slow = cluster.node(followerOf(leader));

    net.hold(leader.serverId(), slow.serverId()); // it stops reading what the leader sends
    LocalCluster.writeAll(leader, "a", 20, 60 << 10); // 1.2 MiB: the window to it (1 MiB) is full
    CompletableFuture<Applied<Reply>> withResult = slow.submitForResult(bytes("3"));
    CompletableFuture<Zxid> plain = slow.submit(bytes("4"));
    LocalCluster.writeAll(leader, "b", 180, 60 << 10); // the leader keeps 8 MiB after its snapshots
    Zxid last = leader.committedZxid();
    cluster.awaitSnapshotAtLeast(leader.serverId(), Zxid.of(last.epoch(), last.counter() - 20));
    net.release(leader.serverId(), slow.serverId());

    ResultUnavailableException e = (ResultUnavailableException) failure(withResult);
    assertThat(e.notApplied()).as("it committed").isFalse();
    assertThat(e.zxid()).isBetween(Zxid.of(last.epoch(), 21), last);
    assertThat(e).hasMessageContaining("server " + slow.serverId() + " did not apply it itself");
    assertThat(await(plain)).as("forwarded after it, on the same channel").isGreaterThan(e.zxid()).isLessThanOrEqualTo(last);
    assertThat(tallies.get(slow.serverId()).restores()).as("caught up by the leader's snapshot").isEqualTo(1);
    await(slow.sync());
    assertThat(tallies.get(slow.serverId()).total()).as("the write's effect is there").isEqualTo(7);
  }

  @Test
  void submitForResultNeedsAResultStateMachine() throws Exception {
    cluster = new LocalCluster(dir, 1); // RecordingStateMachine returns no results
    ZabNode node = cluster.startAll().awaitLeader();
    assertThatThrownBy(() -> node.submitForResult(bytes("x"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a ResultStateMachine").hasMessageContaining("RecordingStateMachine");
    assertThat(await(node.submit(bytes("x")))).isEqualTo(Zxid.of(1, 1));
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("completed normally: " + f.join());
  }
}
