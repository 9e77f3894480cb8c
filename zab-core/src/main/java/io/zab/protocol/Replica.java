package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.Truncate;
import io.zab.wire.Membership;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state every role of one server shares: epochs, the in-memory log with its durable, committed and
 * delivered marks, pending client requests, and the action list being built for the current call.
 */
final class Replica {
  /**
   * Txns kept in memory after a snapshot so that lagging followers can still get a DIFF (and at most
   * {@code PeerConfig.logRetentionBytes} payload bytes of them, so that large txns do not pin the heap).
   */
  static final int RETAINED_AFTER_SNAPSHOT = 10_000;

  final PeerConfig config;
  /** The memberships along the log; the last is in force (docs/protocol.md, membership). */
  final Memberships memberships;
  /** A newer membership heard of in notifications while this server's log is behind: for reaching servers only. */
  final LearnedMembership learned = new LearnedMembership();
  private Membership quorumOf;
  private Configuration quorum;
  /** What UpdateMembers / ConfigurationCommitted / RoleChanged last told the runtime. */
  private List<Member> announcedMembers;
  private ClusterConfiguration announcedConfiguration;
  /** What {@link #announceMembership} last computed from. */
  private final AnnouncementInputs announcedFrom = new AnnouncementInputs();
  Role announcedRole = Role.LOOKING;
  /** Peers the transport reports a working connection to. */
  final Set<Long> connected = new TreeSet<>();
  final InMemoryLog log;
  final PendingRequests requests = new PendingRequests();
  long acceptedEpoch;
  long currentEpoch;
  /**
   * The highest epoch a voter was seen to have accepted (not persisted: a liveness hint). A prospective
   * leader proposes above it, so that a voter that accepted an epoch from a leader that never got established
   * can rejoin after one re-election.
   */
  long epochSeen;
  /** Every txn up to here is fsynced on this server. */
  Zxid durable;
  /** Every txn up to here is known committed. */
  Zxid committed;
  /** Every txn up to here was handed to the state machine. */
  Zxid delivered;
  /** The newest stored snapshot (what a SNAP sync streams). */
  Zxid snapshotZxid;
  /** Ticks this server handled since it started (a clock for bounds that outlive a role). */
  long ticks;
  /** A leadership transfer asked on this server, waiting to see who leads (null: none). */
  TransferWatch transferWatch;
  /**
   * Set while this server repairs a damaged log (docs/protocol.md, repair): it then votes in no election and counts in
   * no quorum, whatever its membership says; null when healthy.
   */
  RepairPoint repairing;
  /** First counter of every epoch; 1 except in tests of counter exhaustion. */
  final long firstCounter;
  private List<Action> out = new ArrayList<>();

  Replica(PeerConfig config, PersistentState state, long firstCounter) {
    this.firstCounter = firstCounter;
    this.config = config;
    this.memberships = new Memberships(config.initial(), state.snapshotMembership());
    this.acceptedEpoch = state.acceptedEpoch();
    this.currentEpoch = state.currentEpoch();
    this.snapshotZxid = state.snapshotZxid();
    this.repairing = state.repairing();
    try {
      this.log = new InMemoryLog(state.snapshotZxid(), state.logAfterSnapshot(), firstCounter);
      for (Txn t : state.logAfterSnapshot()) {
        if (t.isConfig()) {
          memberships.appended(t, Memberships.decode(t));
        }
      }
    } catch (InMemoryLog.LogGapException e) {
      throw new IllegalArgumentException("recovered log of server " + config.self() + " is not gap-free: "
          + e.getMessage(), e);
    }
    this.durable = log.last();
    this.committed = state.snapshotZxid();
    this.delivered = state.snapshotZxid();
    // The runtime reads the starting values from the Peer; later changes are announced. A restarted server does not
    // know what of its log is committed: it reports the newest stable configuration its log holds until it learns.
    this.announcedMembers = membership().members();
    this.announcedConfiguration = membership().current();
  }

  long self() {
    return config.self();
  }

  Timing timing() {
    return config.timing();
  }

  /** The membership in force: that of the last CONFIG txn in the log. */
  Membership membership() {
    return memberships.current();
  }

  /** The quorum rule of the membership in force. */
  Configuration quorum() {
    Membership m = membership();
    if (m != quorumOf) {
      quorum = Configuration.of(m);
      quorumOf = m;
    }
    return quorum;
  }

  /** The version of the membership in force, as notifications carry it ({@link Memberships#version()}). */
  long membershipVersion() {
    return memberships.version();
  }

  /** Whether {@code sid} is a voter of the membership in force (of either side while joint). */
  boolean isVoter(long sid) {
    return membership().isVoter(sid);
  }

  /** Whether this server votes: a voter of the membership in force, and not repairing. */
  boolean selfVoter() {
    return repairing == null && isVoter(self());
  }

  /**
   * Whether this server takes part in elections (votes, and may be voted for): not repairing, and a voter of the
   * membership in force, or, while the last change of its log is not known committed, of the membership before it. A
   * server that an uncommitted change demotes may still be needed: the voters of the membership before it that lack the
   * change count its vote, and if its log is the best of them only it can lead (found by the randomized membership
   * simulation: a demoted observer holding the uncommitted stable change and the last voter holding the joint one
   * waited for each other forever). Safety does not depend on who votes: the leader's epoch and NEWLEADER quorums are
   * counted under its own membership in force.
   */
  boolean electionVoter() {
    // a repairing server may have lost txns it acknowledged: never a vote, whatever the membership (docs/protocol.md)
    return repairing == null && mayLead(self());
  }

  /**
   * Whether a vote for {@code sid} may elect it, as this server's membership sees it: a voter of the membership in
   * force, or, while the last change of the log is not known committed, of the membership before it (what
   * {@link #electionVoter()} lets {@code sid} be, seen from here).
   */
  boolean mayLead(long sid) {
    Zxid last = memberships.lastChange();
    return isVoter(sid) || (last != null && last.isAfter(committed) && memberships.before(last).isVoter(sid));
  }

  /**
   * How this server breaks a tie on (epoch, zxid) between two candidates, before their sids (lower ranks first;
   * docs/protocol.md, membership liveness), by the newest membership it knows of (a newer one it learned of, else its
   * own): 0 for a voter of both its halves, 1 for another voter of its current (under a joint one: old)
   * configuration, 2 for any other server. So the voters a change keeps come first (every server lets them lead),
   * then those it removes (a server that missed the change lets only those of the old configuration lead), then those
   * it adds. Only the newest membership enters: LOOKING servers hand it to each other with their votes, so servers at
   * different points of one change rank alike once they have talked, and a server's own older membership must not
   * vote in the rank too (the holders of an added voter's JOINT txn ranked it last, the holders of its STABLE txn
   * ranked it by sid, and their votes split). Whether the change is known committed does not enter either: servers
   * differ on that. It orders equal votes only (safety needs only the (epoch, zxid) order), and what was learned
   * counts in no tally.
   */
  int tieRank(long sid) {
    Membership newer = learned.newerThan(membershipVersion());
    Membership newest = newer != null ? newer : membership();
    if (votesInBothHalves(newest, sid)) {
      return 0;
    }
    return newest.current().isVoter(sid) ? 1 : 2;
  }

  private static boolean votesInBothHalves(Membership m, long sid) {
    return m.current().isVoter(sid) && (!m.joint() || m.next().isVoter(sid));
  }

  /** The newest stable configuration at or below the commit point. */
  ClusterConfiguration committedConfiguration() {
    return memberships.at(committed).current();
  }

  /**
   * What clients see as the configuration: the newest committed one; after a restart, until the commit point gets
   * there, the newest stable one of the log (announced once it is committed, or replaced if it was truncated away).
   */
  ClusterConfiguration reportedConfiguration() {
    return announcedConfiguration;
  }

  /**
   * Tells the runtime what changed in the membership: the servers it must reach (the membership in force, a newer
   * one learned from notifications, whose addresses win, and {@code extra}, the leader's learners and leaving
   * members), and the committed configuration.
   */
  void announceMembership(Collection<Member> extra) {
    // Runs after every batch (the broadcast hot path): recomputed only when what it reads changed.
    Zxid last = memberships.lastChange();
    boolean changePending = last != null && last.isAfter(committed);
    Membership learnedNow = learned.newerThan(membershipVersion());
    Membership committedNow = memberships.at(committed);
    if (announcedFrom.same(memberships.revision(), changePending, learnedNow, committedNow, extra)) {
      return;
    }
    announcedFrom.remember(memberships.revision(), changePending, learnedNow, committedNow, extra);
    Map<Long, Member> byId = new TreeMap<>();
    membership().members().forEach(m -> byId.put(m.id(), m));
    if (learnedNow != null) {
      learnedNow.members().forEach(m -> byId.put(m.id(), m));
    }
    if (changePending) {
      // until the change is known committed, the members before it may still be needed (mayLead, electionVoter)
      memberships.before(last).members().forEach(m -> byId.putIfAbsent(m.id(), m));
    }
    extra.forEach(m -> byId.putIfAbsent(m.id(), m));
    List<Member> members = List.copyOf(byId.values());
    if (!members.equals(announcedMembers)) {
      announcedMembers = members;
      out.add(new Action.UpdateMembers(members));
    }
    announceCommittedConfiguration();
  }

  private void announceCommittedConfiguration() {
    ClusterConfiguration c = committedConfiguration();
    if (c.equals(announcedConfiguration)) {
      return;
    }
    boolean newer = Long.compareUnsigned(c.version(), announcedConfiguration.version()) > 0;
    boolean truncated = !newer && !memberships.holds(announcedConfiguration);
    if (newer || truncated) {
      announcedConfiguration = c;
      out.add(new Action.ConfigurationCommitted(c));
    }
  }

  /** The member {@code sid} as the transport was last told of it, or null if it was not among them. */
  Member announcedMember(long sid) {
    for (Member m : announcedMembers) {
      if (m.id() == sid) {
        return m;
      }
    }
    return null;
  }

  /** Takes the actions built so far and starts a new list. */
  List<Action> drain() {
    List<Action> result = out;
    out = new ArrayList<>();
    return result;
  }

  void emit(Action a) {
    if (a instanceof Action.RoleChanged rc) {
      announcedRole = rc.role();
    }
    out.add(a);
  }

  void send(long to, Message m) {
    out.add(new Send(to, m));
  }

  /** Appends txns to the in-memory log and asks the runtime to log them. */
  void append(List<Txn> txns) {
    hold(txns);
    out.add(new Append(txns));
  }

  /**
   * Appends txns to the in-memory log only (the caller emits the {@link Append} later). A CONFIG txn puts its
   * membership in force at once.
   *
   * @throws InMemoryLog.LogGapException for a gap, or a CONFIG txn without a membership
   */
  void hold(List<Txn> txns) {
    for (Txn t : txns) {
      Membership m = t.isConfig() ? Memberships.decode(t) : null;
      log.append(t);
      if (m != null) {
        memberships.appended(t, m);
      }
    }
  }

  /** S7 TRUNC: drop everything after {@code to}. */
  void truncate(Zxid to) {
    log.truncateAfter(to);
    memberships.truncatedAfter(to);
    durable = Zxid.min(durable, to);
    out.add(new Truncate(to));
  }

  /** The runtime reports the log durable up to {@code z}. */
  void persisted(Zxid z) {
    durable = Zxid.max(durable, Zxid.min(z, log.last()));
  }

  /**
   * Marks everything up to {@code z} committed (never beyond this log), completes the requests that satisfies
   * and delivers the newly committed txns in order. The completions go first: a write's {@code Complete}
   * always precedes the {@code Deliver} of its txn, so the runtime knows who waits for the result of an apply
   * before the apply happens (and keeps no result nobody waits for).
   */
  void commitTo(Zxid z) {
    Zxid target = Zxid.min(z, log.last());
    if (!target.isAfter(committed)) {
      return;
    }
    committed = target;
    announceCommittedConfiguration(); // before the requests it completes (a reconfiguration's)
    requests.completeUpTo(committed, out::add);
    if (committed.isAfter(delivered)) {
      out.add(new Deliver(log.range(delivered, committed)));
      delivered = committed;
    }
  }

  /** A snapshot was taken at {@code z}: older txns may be dropped, keeping enough for DIFF syncs. */
  void snapshotTaken(Zxid z) {
    snapshotZxid = Zxid.max(snapshotZxid, z);
    log.compact(Zxid.min(z, delivered), RETAINED_AFTER_SNAPSHOT, config.logRetentionBytes());
    memberships.compactedTo(log.base());
  }

  /**
   * A snapshot received from the leader was installed: state and log now start at {@code z}, under the membership
   * it recorded ({@code recorded}, null if none).
   */
  void snapshotInstalled(Zxid z, Membership recorded) {
    log.resetTo(z);
    memberships.resetTo(recorded);
    snapshotZxid = z;
    durable = z;
    committed = z;
    delivered = z;
  }
}
