package io.zab.runtime;

import io.zab.fixtures.RecordingStateMachine;
import io.zab.fixtures.LocalCluster;
import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClusterConfiguration;
import io.zab.LeadershipTransferException;
import io.zab.Member;
import io.zab.Role;
import io.zab.StaleConfigurationException;
import io.zab.ZabListener;
import io.zab.ZabNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 on real nodes (files, threads, the in-JVM network through the wire codec): ZabNode.configuration(),
 * reconfigure(), transferLeadership(), Role.OBSERVING and the listeners; transports follow the membership.
 */
class MembershipRuntimeTest {
  private static final List<Member> THREE = List.of(Member.local(1), Member.local(2), Member.local(3));

  @TempDir
  Path dir;
  private LocalCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Servers 1-3 voting; the others running as newcomers (the current voters, and themselves as observers). */
  private ZabNode start(int newcomers) throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    for (long id = 4; id < 4 + newcomers; id++) {
      long self = id;
      cluster.startWith(id, b -> b.observers(List.of(Member.local(self))));
    }
    return leader;
  }

  private static ClusterConfiguration get(java.util.concurrent.CompletableFuture<ClusterConfiguration> f)
      throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void anObserverAddedAtRuntimeReceivesEverythingAndListenersHearOfTheChange() throws Exception {
    ZabNode leader = start(1);
    List<ClusterConfiguration> heard = new CopyOnWriteArrayList<>();
    cluster.node(2).addListener(new ZabListener() {
      @Override
      public void roleChanged(RoleChange event) {}

      @Override
      public void configurationChanged(ClusterConfiguration c) {
        heard.add(c);
      }
    });
    cluster.write(leader.serverId(), "before");
    ClusterConfiguration initial = leader.configuration();
    assertThat(initial).isEqualTo(ClusterConfiguration.of(THREE));

    ClusterConfiguration done = get(cluster.node(2).reconfigure(initial.withObserver(Member.local(4))));
    assertThat(done.observerIds()).containsExactly(4L);
    assertThat(done.version()).isPositive();
    awaitCondition(WAIT, () -> cluster.node(4).role() == Role.OBSERVING && cluster.serves(4),
        () -> "server 4 to observe: " + cluster);
    cluster.write(4, "written on the observer");
    cluster.awaitApplied(List.of(1L, 2L, 3L, 4L), List.of("before", "written on the observer"));
    cluster.node(4).sync().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCondition(WAIT, () -> cluster.runningIds().stream().allMatch(id -> cluster.node(id).configuration()
        .equals(done)), () -> "every server to see " + done);
    awaitCondition(WAIT, () -> heard.contains(done), () -> "the listener to hear of " + done);

    // the membership in force is on disk: a restart finds it, whatever the builder says
    cluster.stop(4);
    ZabNode again = cluster.startWith(4, b -> b.observers(List.of(Member.local(4))));
    assertThat(again.configuration()).isEqualTo(done);
    awaitCondition(WAIT, () -> again.role() == Role.OBSERVING, () -> "server 4 to observe again");
  }

  @Test
  void votersAreAddedAndRemovedByCompareAndSet() throws Exception {
    ZabNode leader = start(2);
    ClusterConfiguration initial = leader.configuration();
    ClusterConfiguration five = get(leader.reconfigure(initial.withVoter(Member.local(4))
        .withVoter(Member.local(5)), Duration.ofSeconds(10)));
    assertThat(five.voterIds()).containsExactly(1L, 2L, 3L, 4L, 5L);
    awaitCondition(WAIT, () -> cluster.node(4).role() == Role.FOLLOWING && cluster.node(5).role() == Role.FOLLOWING
        && cluster.serves(4) && cluster.serves(5), () -> "4 and 5 to follow: " + cluster);

    Throwable stale = causeOf(() -> get(leader.reconfigure(initial.without(1))));
    assertThat(stale).isInstanceOf(StaleConfigurationException.class);
    assertThat(((StaleConfigurationException) stale).currentVersion()).isEqualTo(five.version());
    assertThat(((StaleConfigurationException) stale).notApplied()).isTrue();

    ClusterConfiguration three = get(cluster.node(5).reconfigure(five.without(4).without(5)));
    assertThat(three.voterIds()).containsExactly(1L, 2L, 3L);
    awaitCondition(WAIT, () -> cluster.node(4).role() == Role.LOOKING && cluster.node(5).role() == Role.LOOKING,
        () -> "the removed servers to take no part: " + cluster);
    cluster.write(1, "three are enough");
  }

  @Test
  void leadershipMovesToTheServerNamedAndATransferToAnObserverFailsWithTheLeaderInPlace() throws Exception {
    ZabNode leader = start(1);
    get(leader.reconfigure(leader.configuration().withObserver(Member.local(4))));
    long target = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    Throwable refused = causeOf(() -> leader.transferLeadership(4).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(refused).isInstanceOf(LeadershipTransferException.class);
    assertThat(((LeadershipTransferException) refused).notApplied()).isTrue();
    assertThat(leader.role()).isEqualTo(Role.LEADING);

    leader.transferLeadership(target, Duration.ofSeconds(5)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(leader.leader().orElse(0)).isEqualTo(target);
    awaitCondition(WAIT, () -> cluster.node(target).role() == Role.LEADING, () -> target + " to lead");
    cluster.write(leader.serverId(), "after the transfer");
  }

  private interface Call {
    void run() throws Exception;
  }

  private static Throwable causeOf(Call call) {
    try {
      call.run();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void theBuilderRefusesAServerThatIsNeitherMemberNorObserver() {
    assertThatThrownBy(() -> ZabNode.builder().serverId(9).members(THREE).observers(List.of(Member.local(4)))
        .dataDir(dir).transport(io.zab.transport.LocalNetwork.create()::transport)
        .stateMachine(new RecordingStateMachine()).build())
        .hasMessageContaining("serverId 9 is not among the members").hasMessageContaining("nor the observers");
    assertThatThrownBy(() -> ZabNode.builder().serverId(1).members(THREE).observers(List.of(Member.local(3)))
        .dataDir(dir).transport(io.zab.transport.LocalNetwork.create()::transport)
        .stateMachine(new RecordingStateMachine()).build()).hasMessageContaining("listed twice");
  }
}
