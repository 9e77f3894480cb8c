package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.wire.Membership;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's checks ({@link MembershipCheck}) can fail: each rule is broken from outside the core, in a controlled
 * way, and the check says so, while the same run without the break reports nothing.
 */
class MembershipChecksCatchBugsTest {
  private static final Membership THREE = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1),
      Member.local(2), Member.local(3))));
  private static final Membership FOUR_FIVE = Membership.stable(ClusterConfiguration.of(List.of(Member.local(4),
      Member.local(5))));

  @Test
  void theQuorumModelSeesDisjointAndJointMemberships() {
    assertThat(MembershipCheck.quorumsIntersect(THREE, FOUR_FIVE)).isFalse();
    assertThat(MembershipCheck.quorumsIntersect(THREE, THREE)).isTrue();
    Membership joint = Membership.joint(THREE.current(), FOUR_FIVE.current());
    assertThat(MembershipCheck.quorumsIntersect(joint, THREE)).as("a joint quorum holds a quorum of each side").isTrue();
    assertThat(MembershipCheck.quorumsIntersect(joint, FOUR_FIVE)).isTrue();
    assertThat(MembershipCheck.isQuorum(joint, Set.of(1L, 2L, 4L))).isFalse();
    assertThat(MembershipCheck.isQuorum(joint, Set.of(1L, 2L, 4L, 5L))).isTrue();
  }

  /**
   * ConfigQuorumsIntersect: servers 4 and 5 are wrongly given a configuration of their own (voters 4 and 5) while 1-3
   * have voters 1-3: two leaders decide at once with disjoint quorums.
   */
  @Test
  void twoConfigurationsWithDisjointQuorumsBreakConfigQuorumsIntersect() {
    ProtocolFactory split = (self, initial, durable) -> PeerProtocol.factory().create(self,
        self >= 4 ? FOUR_FIVE.current() : initial, durable);
    assertThat(checksFired(split, 3, 3_000_000)).contains("ConfigQuorumsIntersect");
    assertThat(checksFired(PeerProtocol.factory(), 3, 3_000_000)).isEmpty();
  }

  /**
   * CommitQuorum: voters 1-3 declared, 4 and 5 not voting. A txn that only server 1 and the non-voters 4 and 5 hold
   * durably is "committed" by a leader that counts everyone as a voter: the check refuses it; once 2 holds it too
   * (a quorum of the declared voters) the same commit passes.
   */
  @Test
  void countingNonVotersBreaksCommitQuorum() {
    Simulation sim = cluster(PeerProtocol.factory(), 3);
    Zxid z = Zxid.of(9, 1);
    for (long id : new long[] {1, 4, 5}) {
      sim.server(id).disk().append(List.of(new io.zab.wire.Txn(z, new byte[] {1})));
      sim.server(id).disk().flush();
    }
    Membership everyoneVotes = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1), Member.local(2),
        Member.local(3), Member.local(4), Member.local(5))));
    sim.membership().commitMoved(sim.server(1), everyoneVotes, everyoneVotes, Zxid.ZERO, z);
    assertThat(checks(sim)).containsExactly("CommitQuorum");

    Simulation fair = cluster(PeerProtocol.factory(), 3);
    for (long id : new long[] {1, 2, 4, 5}) {
      fair.server(id).disk().append(List.of(new io.zab.wire.Txn(z, new byte[] {1})));
      fair.server(id).disk().flush();
    }
    fair.membership().commitMoved(fair.server(1), everyoneVotes, everyoneVotes, Zxid.ZERO, z);
    assertThat(checks(fair)).isEmpty();
  }

  /**
   * RemovedStaysOut: a follower is removed by a reconfiguration; a core that keeps saying it follows once it has the
   * committed change breaks the rule, the real core (which goes LOOKING without a vote) does not.
   */
  @Test
  void aRemovedServerThatKeepsFollowingBreaksRemovedStaysOut() {
    assertThat(removeAFollower(true)).contains("RemovedStaysOut");
    assertThat(removeAFollower(false)).isEmpty();
  }

  /** Five servers of which {@code voters} vote at first, a workload, no faults: the checks that fired. */
  private static Set<String> checksFired(ProtocolFactory protocol, int voters, long micros) {
    Simulation sim = cluster(protocol, voters);
    KvWorkload workload = new KvWorkload(sim, 4, 0.7, 2_000, 20_000, ReadMode.AFTER_BARRIER);
    workload.start(1);
    sim.runFor(micros);
    return checks(sim);
  }

  /** Five voters; the leader is asked to remove the follower with the highest sid, which may ignore its removal. */
  private static Set<String> removeAFollower(boolean ignoresRemoval) {
    long[] removed = {0};
    Simulation sim = cluster((self, initial, durable) -> {
      ProtocolNode real = PeerProtocol.factory().create(self, initial, durable);
      return ignoresRemoval ? new KeepsFollowing(real, self, () -> removed[0]) : real;
    }, 5);
    assertThat(sim.runUntil(() -> sim.servers().stream().allMatch(SimServer::synced), 10_000_000)).isTrue();
    SimRequest write = sim.submit(RandomRun.leaderOf(sim), KvStateMachine.put("k", "v"));
    sim.runUntil(write::done, 2_000_000);
    long leader = RandomRun.leaderOf(sim);
    removed[0] = leader == 5 ? 4 : 5;
    ClusterConfiguration seen = sim.server(leader).node().configuration();
    SimRequest r = sim.server(leader).reconfigure(seen.without(removed[0]), 100);
    sim.runUntil(r::done, 10_000_000);
    assertThat(r.status()).as("the removal of server %d: %s after %s; %s", removed[0], r, write, sim.describeServers()).isEqualTo(SimRequest.Status.COMPLETED);
    sim.runFor(2_000_000);
    return checks(sim);
  }

  private static Simulation cluster(ProtocolFactory protocol, int voters) {
    Simulation sim = new Simulation(new SimConfig(5, 7, 50_000, NetworkModel.lan(), 200, 3_000, DiskFaults.CORRECT, 50,
        protocol, KvStateMachine::new, true).withInitialVoters(voters));
    for (SimServer s : sim.servers()) {
      sim.start(s.id());
    }
    return sim;
  }

  private static Set<String> checks(Simulation sim) {
    return Set.copyOf(sim.violations().all().stream().map(Violation::check).toList());
  }

  /** A core that ignores its removal: once it was following and its membership leaves it out, it says it follows. */
  private static final class KeepsFollowing extends ForwardingProtocolNode {
    private final long self;
    private final LongSupplier removed;
    private long lastLeader;

    KeepsFollowing(ProtocolNode core, long self, LongSupplier removed) {
      super(core);
      this.self = self;
      this.removed = removed;
    }

    private boolean pretending() {
      return self == removed.getAsLong() && lastLeader != 0 && core.role() == Role.LOOKING
          && !core.membership().isMember(self);
    }

    @Override
    public List<Action> handle(Event event) {
      return noteLeader(core.handle(event));
    }

    @Override
    public List<Action> handleAll(List<Event> events) {
      return noteLeader(core.handleAll(events));
    }

    private List<Action> noteLeader(List<Action> out) {
      if (core.role() == Role.FOLLOWING && core.established()) {
        lastLeader = core.leader();
      }
      return out;
    }

    @Override
    public Role role() {
      return pretending() ? Role.FOLLOWING : core.role();
    }

    @Override
    public long leader() {
      return pretending() ? lastLeader : core.leader();
    }

    @Override
    public boolean established() {
      return pretending() || core.established();
    }
  }
}
