package io.zab.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ChangeInProgressException;
import io.zab.ClusterConfiguration;
import io.zab.LeadershipTransferException;
import io.zab.Role;
import io.zab.StaleConfigurationException;
import io.zab.ZabException;
import io.zab.Zxid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, told end to end with real {@code ZabNode}s ({@link NodeCluster} over the in-JVM network): what an operator
 * does to the membership of a running ensemble, and what the ensemble guarantees meanwhile. Rule names refer to
 * docs/protocol.md, "Membership" (R1-R4; S-rules in docs/architecture.md).
 */
class MembershipStoriesTest {
  private static final long WAIT_SECONDS = NodeCluster.DEFAULT_WAIT.toSeconds();
  private NodeCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private NodeCluster threeServers(String name) {
    cluster = NodeCluster.builder().servers(3).name(name).build();
    cluster.startAll();
    cluster.awaitLeader();
    return cluster;
  }

  /** Writes {@code n} txns on {@code on} without waiting; returns their futures. */
  private static List<CompletableFuture<Zxid>> writesInFlight(NodeCluster c, long on, String tag, int n) {
    List<CompletableFuture<Zxid>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(c.submit(on, (tag + i).getBytes()));
    }
    return out;
  }

  /** Every write in flight completed (none lost to the change), or failed saying it was not applied. */
  private static int completed(List<CompletableFuture<Zxid>> writes) throws Exception {
    int done = 0;
    for (CompletableFuture<Zxid> w : writes) {
      try {
        w.get(WAIT_SECONDS, TimeUnit.SECONDS);
        done++;
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ZabException.class);
      }
    }
    return done;
  }

  /**
   * Grow 3 → 5 under writes. New voters catch up as non-voters first (R2), the voter change goes JOINT then STABLE
   * (R3) while writes keep committing, and afterwards every server, new ones included, holds the same history.
   */
  @Test
  void growThreeToFiveVotersUnderWrites() throws Exception {
    threeServers("grow 3 to 5");
    long leader = cluster.awaitLeader();
    List<CompletableFuture<Zxid>> writes = writesInFlight(cluster, leader, "before-", 50);
    long four = cluster.addServer();
    long five = cluster.addServer();
    cluster.start(four, five);
    writes.addAll(writesInFlight(cluster, leader, "during-", 50));
    cluster.addVoter(four);
    writes.addAll(writesInFlight(cluster, cluster.awaitLeader(), "between-", 50));
    ClusterConfiguration grown = cluster.addVoter(five);
    writes.addAll(writesInFlight(cluster, cluster.awaitLeader(), "after-", 50));

    assertThat(grown.voterIds()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(completed(writes)).as("writes committed while the ensemble grew").isEqualTo(200);
    long l = cluster.awaitStable();
    RecordingStateMachine onLeader = cluster.stateMachine(l);
    for (long id : List.of(four, five)) {
      assertThat(cluster.role(id)).isIn(Role.FOLLOWING, Role.LEADING);
      RecordingStateMachine sm = cluster.stateMachine(id);
      assertThat(sm.texts()).as("server %d holds the whole history", id).isEqualTo(onLeader.texts());
    }
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * Shrink 5 → 3. Afterwards two of the remaining three are a quorum: with the two removed servers stopped and one
   * more server down, writes still commit (under five voters, two of five never could: no write without a quorum).
   * The removed servers are followers here: removing the leader itself (R4) is the next story.
   */
  @Test
  void shrinkFiveToThree() {
    cluster = NodeCluster.builder().servers(5).name("shrink 5 to 3").build();
    cluster.startAll();
    long leader = cluster.awaitLeader();
    cluster.write(leader, "five voters");
    List<Long> leaving = cluster.ids().stream().filter(id -> id != leader).sorted(Comparator.reverseOrder()).limit(2)
        .toList();
    cluster.removeMember(leaving.get(0));
    ClusterConfiguration shrunk = cluster.removeMember(leaving.get(1));
    assertThat(shrunk.voterIds()).hasSize(3).contains(leader).doesNotContainAnyElementsOf(leaving);
    leaving.forEach(cluster::stop);
    long l = cluster.awaitLeader();
    long down = shrunk.voterIds().stream().filter(id -> id != l).findFirst().orElseThrow();
    cluster.stop(down);
    long survivor = cluster.awaitLeader();
    cluster.write(survivor, "two of three");
    assertThat(shrunk.voterIds()).contains(cluster.establishedLeader());
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * R4: a leader that removes itself keeps leading until the change is committed, then hands leadership over, and the
   * change is reported done, whether asked on the leader or forwarded by a follower. (Followers used to drop the
   * leader from their transport's members as soon as they logged the change, before it committed: the handover never
   * reached them, an election followed, and the request ended "outcome unknown".)
   */
  @Test
  void aLeaderThatRemovesItselfHandsOverAndTheChangeCompletes() throws Exception {
    for (boolean askTheLeader : List.of(true, false)) {
      cluster = NodeCluster.builder().servers(3).name("remove the leader, asked on the " + (askTheLeader ? "leader"
          : "follower")).build();
      cluster.startAll();
      long leader = cluster.awaitLeader();
      cluster.write(leader, "before");
      long asked = askTheLeader ? leader : cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
      ClusterConfiguration read = cluster.currentConfiguration();
      ClusterConfiguration done = cluster.reconfigure(asked, read.without(leader)).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(done.voterIds()).as("asked on " + asked).hasSize(2).doesNotContain(leader);
      cluster.stop(leader);
      long next = cluster.awaitLeader();
      assertThat(done.voterIds()).contains(next);
      cluster.write(next, "after");
      assertThat(cluster.violations()).isEmpty();
      cluster.close();
      cluster = null;
    }
  }

  /**
   * Replace a dead server by a new one at a new address with a new id: the replacement catches up from the others
   * (R2), the dead one leaves the configuration, and the ensemble keeps a quorum of live voters for what follows.
   */
  @Test
  void replaceADeadServerByANewOneAtANewAddress() {
    threeServers("replace a dead server");
    long leader = cluster.awaitLeader();
    cluster.write(leader, "before the failure");
    long dead = leader == 3 ? 2 : 3;
    cluster.stop(dead);
    cluster.write(cluster.awaitLeader(), "with one server down");

    long fresh = cluster.addServer();
    cluster.start(fresh);
    ClusterConfiguration replaced = cluster.reconfigure(c -> c.without(dead).withVoter(cluster.member(fresh)));
    assertThat(replaced.voterIds()).doesNotContain(dead).contains(fresh).hasSize(3);
    assertThat(replaced.member(fresh)).contains(cluster.member(fresh));

    Zxid last = cluster.write(cluster.awaitLeader(), "after the replacement");
    cluster.awaitApplied(last);
    RecordingStateMachine sm = cluster.stateMachine(fresh);
    assertThat(sm.texts()).contains("before the failure", "with one server down", "after the replacement");
    // the replacement counts: with another old server down, it and the last one are a quorum
    long l = cluster.awaitLeader();
    long other = replaced.voterIds().stream().filter(id -> id != l && id != fresh).findFirst().orElseThrow();
    cluster.stop(other);
    cluster.write(cluster.awaitLeader(), "old server and replacement");
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * A member that missed the replacement of a server (issue 11, stranded members): while server {@code away} is cut
   * off, another follower is replaced by a new server at a new address, the new server takes the leadership and the
   * replaced one is shut down. When {@code away} is back it knows neither the new server's address nor that it is a
   * voter; it learns both from the election notifications of the leader it still knows, connects, and follows the
   * new leader with every write, without a restart.
   */
  @Test
  void aMemberThatMissedTheReplacementOfAServerFindsTheNewLeader() {
    threeServers("a member that missed a replacement");
    strandedMemberRejoins(true);
  }

  /**
   * The same over Netty on loopback, where the member that missed the change was down and restarts with the
   * members it was first given (the bootstrap configuration): its transport learns the new server's address from
   * the notifications and dials it.
   */
  @Test
  void overNettyAMemberRestartedWithItsOldMembersLearnsTheNewServersAddress() {
    cluster = NodeCluster.builder().servers(3).overNetty().name("stranded member over netty").build();
    cluster.startAll();
    cluster.awaitLeader();
    strandedMemberRejoins(false);
  }

  private void strandedMemberRejoins(boolean partition) {
    long leader = cluster.awaitLeader();
    long away = leader == 1 ? 2 : 1;
    long replaced = 6 - leader - away;
    cluster.write(leader, "before");
    if (partition) {
      cluster.isolate(away);
    } else {
      cluster.stop(away);
    }
    long fresh = cluster.addServer();
    cluster.start(fresh);
    ClusterConfiguration c = cluster.reconfigure(now -> now.without(replaced).withVoter(cluster.member(fresh)));
    assertThat(c.voterIds()).containsExactlyInAnyOrder(leader, away, fresh);
    cluster.transferLeadership(fresh);
    cluster.stop(replaced);
    Zxid last = cluster.write(fresh, "while it was away");
    if (partition) {
      cluster.heal();
    } else {
      cluster.start(away);
    }
    cluster.await("s" + away + " follows the new leader s" + fresh, NodeCluster.DEFAULT_WAIT,
        () -> cluster.role(away) == Role.FOLLOWING && cluster.node(away).leader().orElse(0) == fresh);
    cluster.awaitApplied(last);
    assertThat(cluster.node(away).configuration().voterIds()).containsExactlyInAnyOrder(leader, away, fresh);
    RecordingStateMachine sm = cluster.stateMachine(away);
    assertThat(sm.texts()).contains("before", "while it was away");
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * Leadership transfer to a lagging follower: the leader stops proposing, brings the target fully up to date, then
   * hands over; the target wins the election at once (ties on (epoch, zxid) go to it) and holds everything.
   */
  @Test
  void transferLeadershipToALaggingFollower() {
    threeServers("transfer to a lagging follower");
    long leader = cluster.awaitLeader();
    long lagging = leader == 1 ? 2 : 1;
    cluster.stop(lagging);
    for (int i = 0; i < 200; i++) {
      cluster.submit(leader, ("while it was down " + i).getBytes());
    }
    Zxid last = cluster.write(leader, "last before the transfer");
    cluster.start(lagging); // behind by 201 txns: it catches up during the transfer
    assertThat(cluster.transferLeadership(lagging)).isEqualTo(lagging);
    assertThat(cluster.establishedLeader()).isEqualTo(lagging);
    RecordingStateMachine sm = cluster.stateMachine(lagging);
    assertThat(sm.lastApplied()).isGreaterThanOrEqualTo(last);
    cluster.write(lagging, "first under the new leader");
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * A transfer to an unreachable target fails within its bound with a typed error, nothing changed, and the old
   * leader resumes proposing (writes held meanwhile commit).
   */
  @Test
  void aTransferToAnUnreachableTargetFailsWithinItsBoundAndTheLeaderResumes() throws Exception {
    threeServers("transfer to an unreachable server");
    long leader = cluster.awaitLeader();
    long target = leader == 1 ? 2 : 1;
    cluster.isolate(target);
    cluster.awaitLeader();
    CompletableFuture<Void> transfer = cluster.transferLeadership(target, Duration.ofMillis(500));
    CompletableFuture<Zxid> held = cluster.submit(leader, "during the transfer".getBytes());
    assertThatThrownBy(() -> transfer.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasCauseInstanceOf(
        LeadershipTransferException.class);
    assertThat(held.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the write held during the transfer").isNotNull();
    assertThat(cluster.awaitLeader()).as("the old leader resumes").isEqualTo(leader);
    cluster.write(leader, "after the failed transfer");
    cluster.heal();
    cluster.awaitStable();
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * An observer (never counted in a quorum) receives the committed stream, serves local reads and read barriers,
   * and forwards writes to the leader.
   */
  @Test
  void anObserverServesReadsAndForwardsWrites() {
    threeServers("an observer");
    long leader = cluster.awaitLeader();
    cluster.write(leader, "before the observer");
    long observer = cluster.addServer();
    cluster.start(observer);
    ClusterConfiguration c = cluster.addObserver(observer);
    assertThat(c.observerIds()).containsExactly(observer);
    assertThat(c.voterIds()).containsExactly(1L, 2L, 3L);
    cluster.await("server " + observer + " observing", NodeCluster.DEFAULT_WAIT,
        () -> cluster.role(observer) == Role.OBSERVING && cluster.node(observer).status().established());

    Zxid forwarded = cluster.write(observer, "written through the observer");
    Zxid barrier = cluster.sync(observer);
    assertThat(barrier).isGreaterThanOrEqualTo(forwarded);
    RecordingStateMachine sm = cluster.stateMachine(observer);
    assertThat(sm.texts()).contains("before the observer", "written through the observer");
    assertThat(cluster.followersOf(cluster.awaitLeader())).doesNotContain(observer);
    assertThat(cluster.violations()).isEmpty();
  }

  /**
   * Compare-and-set (R1): two operators change the configuration they both read; one change commits, the other is
   * refused with a typed error that says it was not applied (a change in progress, or a stale version naming the
   * current one).
   */
  @Test
  void aConcurrentChangeGetsTheTypedCompareAndSetRejection() throws Exception {
    cluster = NodeCluster.builder().servers(3).name("compare and set").build();
    cluster.startAll();
    long leader = cluster.awaitLeader();
    long four = cluster.addServer();
    long five = cluster.addServer();
    cluster.start(four, five);
    ClusterConfiguration read = cluster.node(leader).configuration();

    CompletableFuture<ClusterConfiguration> first = cluster.reconfigure(leader, read.withObserver(cluster.member(four)));
    CompletableFuture<ClusterConfiguration> second = cluster.reconfigure(leader, read.withObserver(cluster.member(five)));
    ClusterConfiguration won = first.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThatThrownBy(() -> second.get(WAIT_SECONDS, TimeUnit.SECONDS)).cause()
        .isInstanceOfAny(ChangeInProgressException.class, StaleConfigurationException.class)
        .matches(e -> ((ZabException) e).notApplied(), "not applied");
    assertThat(won.observerIds()).containsExactly(four);

    // the same stale read once the first change committed: refused, naming the current version
    ExecutionException stale = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> cluster.reconfigure(leader, read.withObserver(cluster.member(five))).get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertThat(stale.getCause()).isInstanceOf(StaleConfigurationException.class);
    assertThat(((StaleConfigurationException) stale.getCause()).currentVersion()).isEqualTo(won.version());
    assertThat(cluster.currentConfiguration().observerIds()).containsExactly(four);
  }
}
