package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.RepairPoint;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Issue 11's invariants (docs/protocol.md, membership), checked after every step of every server:
 *
 * <ul>
 *   <li>{@code ConfigQuorumsIntersect}: no two disjoint majorities of two configurations in force at once. A leader
 *       <i>can decide</i> when it is established and the servers established in its epoch under it, with itself,
 *       hold a quorum of its membership in force. For every two such leaders, and for every such leader and the
 *       membership of the last committed CONFIG txn, every quorum of the one intersects every quorum of the other.
 *   <li>{@code CommitQuorum}: observers, learners and removed members are never counted. Whenever a leader's commit
 *       point moves, the voters of the membership it had in force that durably hold the new commit point form a
 *       quorum of it (of the one before the step or, if the step changed it, of the one after).
 *   <li>{@code RemovedStaysOut}: a server that knows it was removed (the last committed configuration leaves it
 *       out, it has committed that far, and no later change in its log takes it back) neither follows as a voter
 *       nor leads a later epoch.
 * </ul>
 *
 * <p>The quorum rule here is the checker's own model (a majority of the voters of each side of a membership), not
 * the core's, and version 0 means the configuration the run declared ({@link SimConfig#declaredConfiguration()}),
 * not what a core was given, so that a wrong rule or a wrong start in the core cannot hide from it.
 */
public final class MembershipCheck {
  private final Simulation sim;
  private final Map<List<Membership>, Boolean> intersecting = new HashMap<>();
  private long checks;
  /** The last committed CONFIG txn's zxid and membership (a Deliver carries committed txns only). */
  private Zxid committedAt = Zxid.ZERO;
  private Membership committed;

  MembershipCheck(Simulation sim) {
    this.sim = sim;
  }

  /**
   * How many times the invariants were evaluated.
   *
   * @return the number of evaluations
   */
  public long checks() {
    return checks;
  }

  /** A server's core delivered {@code txns}: they are committed (the state machine may apply them later). */
  void delivered(List<Txn> txns) {
    for (Txn t : txns) {
      if (t.isConfig() && t.zxid().isAfter(committedAt)) {
        committedAt = t.zxid();
        committed = MembershipCodec.decode(t.data());
      }
    }
  }

  /**
   * Leader {@code leader} moved its commit point from {@code from} to {@code to} in one step, with {@code before} and
   * {@code after} its membership before and after that step (its quorum was counted under one of them).
   */
  void commitMoved(SimServer leader, Membership before, Membership after, Zxid from, Zxid to) {
    if (!to.isAfter(from)) {
      return;
    }
    // The membership in force when the quorum was counted: the one before the step, or, when the step changed it
    // (a joint change committed and the leader appended the stable one), the one after: as in Raft, the newest
    // configuration of the leader's log decides, and a quorum of it commits everything before too.
    Membership b = truth(before);
    Membership a = truth(after);
    Set<Long> holders = new TreeSet<>();
    for (SimServer s : sim.servers()) {
      if ((b.isVoter(s.id()) || a.isVoter(s.id())) && (s.disk().durablyHolds(to) || heldBeforeDamage(s, to))) {
        holders.add(s.id());
      }
    }
    if (!isQuorum(b, holders) && !isQuorum(a, holders)) {
      sim.violations().report("CommitQuorum", leader.id(), "leader s" + leader.id() + " committed up to " + to
          + " under " + b + (a.equals(b) ? "" : " (then " + a + ")") + ", but only voters " + holders
          + " hold it durably: not a quorum (an observer, learner or non-member was counted, or an ack came before"
          + " its fsync)");
    }
  }

  /**
   * Whether {@code s}'s log held {@code z} until a fault damaged it (LogDamageFaults, while it was down): its ack
   * was as good as any when the leader counted it, the loss is the damage's, which the fault budget bounds.
   */
  private static boolean heldBeforeDamage(SimServer s, Zxid z) {
    RepairPoint damaged = s.disk().repairing();
    return damaged != null && !z.isAfter(damaged.lastLogged());
  }

  void check() {
    checks++;
    removedStayOut();
    List<SimServer> deciding = new ArrayList<>();
    for (SimServer s : sim.servers()) {
      if (s.alive() && s.role() == Role.LEADING && s.node().established()) {
        if (isQuorum(s.node().membership(), backers(s))) {
          deciding.add(s);
        }
      }
    }
    if (deciding.isEmpty()) {
      return;
    }
    Membership committed = this.committed != null ? this.committed : Membership.stable(sim.config().declaredConfiguration());
    for (int i = 0; i < deciding.size(); i++) {
      SimServer a = deciding.get(i);
      Membership ma = a.node().membership();
      if (!intersect(ma, committed)) {
        sim.violations().report("ConfigQuorumsIntersect", a.id(), "leader s" + a.id() + " can decide under " + ma
            + ", which has a quorum disjoint from one of the last committed " + committed);
      }
      for (int j = i + 1; j < deciding.size(); j++) {
        SimServer b = deciding.get(j);
        Membership mb = b.node().membership();
        if (!intersect(ma, mb)) {
          sim.violations().report("ConfigQuorumsIntersect", a.id(), "leaders s" + a.id() + " (" + ma + ") and s"
              + b.id() + " (" + mb + ") can both decide, with disjoint quorums");
        }
      }
    }
  }

  private void removedStayOut() {
    if (committed == null) {
      return;
    }
    for (SimServer s : sim.servers()) {
      if (!s.alive() || committed.isMember(s.id()) || s.node().committedZxid().isBefore(committedAt)
          || s.node().membership().isMember(s.id()) || !s.node().established()) {
        continue;
      }
      if (s.role() == Role.FOLLOWING) {
        sim.violations().report("RemovedStaysOut", s.id(), "s" + s.id() + " follows s" + s.node().leader()
            + " as a voter in epoch " + s.node().currentEpoch() + " although it committed " + committed + " at "
            + committedAt + ", which removed it");
      } else if (s.role() == Role.LEADING && s.node().currentEpoch() > committedAt.epoch()) {
        sim.violations().report("RemovedStaysOut", s.id(), "s" + s.id() + " leads epoch " + s.node().currentEpoch()
            + " although it committed " + committed + " at " + committedAt + ", which removed it");
      }
    }
  }

  /**
   * {@code m} with a current side of version 0 (the initial configuration, never through the log) read as the one the
   * run declared. (A joint membership's next side is not stamped yet: its version names what it was derived from.)
   */
  private Membership truth(Membership m) {
    return m.current().version() != 0 ? m : new Membership(sim.config().declaredConfiguration(), m.next());
  }

  /** The leader and the servers established under it in its epoch. */
  private Set<Long> backers(SimServer leader) {
    Set<Long> out = new TreeSet<>();
    out.add(leader.id());
    for (SimServer s : sim.servers()) {
      if (s != leader && s.alive() && (s.role() == Role.FOLLOWING || s.role() == Role.OBSERVING)
          && s.node().leader() == leader.id() && s.node().established()
          && s.node().currentEpoch() == leader.node().currentEpoch()) {
        out.add(s.id());
      }
    }
    return out;
  }

  /** A majority of {@code m}'s voters, of each side while joint. */
  static boolean isQuorum(Membership m, Set<Long> sids) {
    return majority(m.current(), sids) && (!m.joint() || majority(m.next(), sids));
  }

  private static boolean majority(ClusterConfiguration c, Set<Long> sids) {
    long in = c.voterIds().stream().filter(sids::contains).count();
    return 2 * in > c.voterIds().size();
  }

  /** Whether every quorum of {@code a} intersects every quorum of {@code b} (by enumerating the voters' subsets). */
  boolean intersect(Membership a, Membership b) {
    return intersecting.computeIfAbsent(List.of(a, b), k -> quorumsIntersect(a, b));
  }

  /**
   * Disjoint quorums exist iff some set is an {@code a}-quorum whose complement (within both memberships' voters) is a
   * {@code b}-quorum, since any superset of a quorum is one.
   */
  static boolean quorumsIntersect(Membership a, Membership b) {
    List<Long> universe = new ArrayList<>(a.voterIds());
    b.voterIds().stream().filter(v -> !universe.contains(v)).forEach(universe::add);
    int n = universe.size();
    for (int mask = 0; mask < (1 << n); mask++) {
      Set<Long> in = new TreeSet<>();
      Set<Long> out = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        ((mask & (1 << i)) != 0 ? in : out).add(universe.get(i));
      }
      if (isQuorum(a, in) && isQuorum(b, out)) {
        return false;
      }
    }
    return true;
  }
}
