package io.zab.protocol;

import io.zab.Role;
import io.zab.wire.Membership;
import io.zab.wire.Message.Notification;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fast leader election (S2-S5). While the server is LOOKING it runs rounds of votes; once it has a role it
 * answers LOOKING peers with the vote it settled on, so late joiners find the established leader (S3).
 *
 * <p>Only voters of this server's membership in force are counted, and only election voters vote
 * ({@link Replica#electionVoter()}: the voters, and while the last change of the log is uncommitted, the voters
 * before it too). A server that is not one (an observer, a server being added, a removed one) never votes for
 * itself: it asks the voters, and follows the server that says LEADING of itself with the best vote
 * (docs/protocol.md, membership). Settled servers answer every LOOKING server, voter or not, so that such a server
 * finds the leader.
 *
 * <p>Notifications carry the sender's membership version, and its membership for a receiver that is behind. A
 * server behind learns from them where the newer members are and asks them too, and may follow a leader that a
 * quorum of the leader's own (newer) membership supports; it never counts a vote under a membership it learned
 * (docs/protocol.md, stranded members).
 */
final class FastLeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(FastLeaderElection.class);

  /** The outcome of an election: the role to take and the vote that won. */
  record Decision(Role role, Vote vote) {}

  private final Replica r;
  private long round;
  private Vote myVote;
  /** Votes of LOOKING peers in my round (S5.2 "record B's vote"), myself included. */
  private final Map<Long, Vote> tally = new TreeMap<>();
  /** Latest notification of each FOLLOWING/LEADING peer, whatever its round (S3, second half). */
  private final Map<Long, Notification> established = new TreeMap<>();
  private int finalizeCountdown = -1;
  private int resendInterval = 1;
  private int resendCountdown = 1;
  private boolean looking;
  /** A leader whose established epoch this server refused: not rejoined until the countdown ends. */
  private long avoidedLeader;
  private int avoidTicks;
  /**
   * After a handover, until this election decides or the countdown ends: the target's vote, which wins every tie on
   * (epoch, zxid) that the sid would otherwise decide. Safety needs only (epoch, zxid) first (docs/protocol.md).
   */
  private Vote preferred;
  private int preferTicks;
  /** Voters whose notifications say they do not vote (repairing a damaged log) in this election. */
  private final Set<Long> abstaining = new TreeSet<>();
  /** The membership version each peer's last notification carried: who is behind me and gets my membership. */
  private final Map<Long, Long> peerVersions = new TreeMap<>();
  /** The tick at which each LOOKING peer behind me last got my notification as an answer (at most one per tick). */
  private final Map<Long, Long> answeredBehind = new TreeMap<>();
  /** Ticks spent looking in this election, and when to warn next that it cannot conclude. */
  private long lookingTicks;
  private long nextStuckWarning;

  FastLeaderElection(Replica r) {
    this.r = r;
    this.myVote = selfVote();
  }

  long round() {
    return round;
  }

  Vote vote() {
    return myVote;
  }

  /**
   * The leader hands over to {@code target}: until the next decision (or {@code ticks}), votes for it win ties on
   * (epoch, zxid), and this server votes for it unless its own vote is better.
   */
  void prefer(Vote target, int ticks) {
    preferred = target;
    preferTicks = ticks;
  }

  /** S4, with the handover's preference breaking ties on (epoch, zxid) before the sid. */
  private boolean beats(Vote a, Vote b) {
    int byLog = Long.compare(a.peerEpoch(), b.peerEpoch());
    if (byLog == 0) {
      byLog = a.zxid().compareTo(b.zxid());
    }
    if (byLog != 0) {
      return byLog > 0;
    }
    if (preferred != null && (a.leader() == preferred.leader()) != (b.leader() == preferred.leader())) {
      return a.leader() == preferred.leader();
    }
    // Membership ranks before the sid (Replica.tieRank), so that servers at different points of a change back the
    // same one of two tied candidates. Found by the randomized membership simulation: (1) under JOINT(C, C') a new
    // voter with a larger sid won every tie and never got the votes of the servers that missed the JOINT txn; (2)
    // removing a voter, the holders of JOINT(C, C') backed the removed one (a voter of C, larger sid) and the holders
    // of STABLE(C') a kept one, and neither side's quorum formed; (3) adding a voter, the holders of JOINT(C, C')
    // ranked it last by their own membership while the holders of STABLE(C') ranked it by sid: the rank uses the
    // newest membership a server knows of only.
    int byRank = Integer.compare(r.tieRank(a.leader()), r.tieRank(b.leader()));
    if (byRank != 0) {
      return byRank < 0;
    }
    return a.leader() > b.leader();
  }

  /** My initial vote of a round: myself, or the handover's target if it is at least as good. */
  private Vote initialVote() {
    Vote self = selfVote();
    return preferred != null && r.isVoter(preferred.leader()) && !beats(self, preferred) ? preferred : self;
  }

  /**
   * The servers whose votes this server holds for its current (or deciding) round, itself included, and those
   * established peers it heard from, ascending: what the election summary calls the votes seen.
   */
  List<Long> votesSeen() {
    TreeSet<Long> seen = new TreeSet<>(tally.keySet());
    seen.addAll(established.keySet());
    return List.copyOf(seen);
  }

  /** S5.1: new round, vote for myself, tell everyone. */
  Decision start() {
    looking = true;
    round++;
    lookingTicks = 0;
    nextStuckWarning = r.timing().initLimitTicks();
    abstaining.clear();
    tally.clear();
    established.clear();
    myVote = initialVote();
    finalizeCountdown = -1;
    resendInterval = 1;
    resendCountdown = 1;
    if (r.electionVoter()) {
      LOG.info("server {} LOOKING: round {}, voting {}", r.self(), round, myVote);
    } else {
      LOG.info("server {} LOOKING for the leader without a vote: {} ({})", r.self(), r.repairing != null
          ? "repairing a damaged log, " + r.repairing + ", a voter of" : r.membership().isMember(r.self())
          ? "not a voter of" : "not a member of", r.membership());
    }
    sendToAll();
    return evaluate();
  }

  /** Handles a vote; {@code myRole} is this server's current role. Returns a decision or null. */
  Decision onNotification(long from, Notification n, Role myRole) {
    if (from == r.self()) {
      return null;
    }
    peerVersions.put(from, n.configVersion());
    learnFrom(from, n);
    if (looking) {
      answerIfBehind(from, n);
    } else {
      if (n.state() == Role.LOOKING) {
        r.send(from, notification(from, myRole)); // voter or not: it may be looking for the leader
      }
      return null;
    }
    if (!r.electionVoter()) {
      // whoever says it leads, even one my membership does not list yet (a later configuration may)
      if (n.state() != Role.LOOKING) {
        established.put(from, n);
        askNamedLeader(n);
        return joinEstablished();
      }
      relayVote(from, n);
      return null;
    }
    boolean tallied = r.isVoter(from);
    if (!tallied && n.state() == Role.LEADING && n.leader() == from) {
      // the leader a quorum of my voters may name, promoted by a change this server missed: its own word counts
      established.put(from, n);
      return joinEstablished();
    }
    if (!tallied && n.voting()) {
      // Never in my tally; but a settled server of a newer membership than mine may support a leader under that
      // membership (joinEstablished), and a voter of a newer membership I learned of may have a better vote to adopt
      if (n.state() != Role.LOOKING && newerThanMine(n)) {
        established.put(from, n);
        return joinEstablished();
      }
      established.remove(from);
      if (n.state() != Role.LOOKING || !r.learned.voters(r.membershipVersion()).contains(from)) {
        return null;
      }
    }
    if (!n.voting()) {
      if (tallied) {
        abstaining.add(from); // a repairing voter: neither its vote nor its support counts (docs/protocol.md)
        tally.remove(from);
        established.remove(from);
      }
      return null; // only voting voters' votes and states count
    }
    abstaining.remove(from);
    if (n.state() != Role.LOOKING) {
      established.put(from, n);
      askNamedLeader(n);
      if (n.state() == Role.FOLLOWING && n.leader() == r.self() && n.round() == round) {
        // It decided for me in this round and waits to join: its vote counts as an agreeing one, or I could
        // wait for it forever while it waits for me (it only answers my notifications with this one).
        tally.put(from, new Vote(n.leader(), n.zxid(), n.peerEpoch()));
        Decision d = evaluate();
        if (d != null) {
          return d;
        }
      }
      return joinEstablished();
    }
    established.remove(from);
    Vote received = new Vote(n.leader(), n.zxid(), n.peerEpoch());
    if (!mayLead(received.leader())) {
      // A vote for a server my membership does not let lead (a removed leader whose log is the best, relayed by a
      // voter that missed its removal): adopting it would elect a server that never leads, round after round (found
      // by the randomized membership simulation). The sender learns my vote when I resend it.
      tally.remove(from);
      return evaluate();
    }
    if (n.round() > round) {
      round = n.round();
      tally.clear();
      Vote mine = initialVote();
      Vote best = beats(received, mine) ? received : mine;
      changeVote(best);
      sendToAll();
    } else if (n.round() < round) {
      r.send(from, notification(from, Role.LOOKING));
      return null;
    } else if (beats(received, myVote)) {
      changeVote(received);
      sendToAll();
    }
    if (tallied) {
      tally.put(from, received);
    }
    return evaluate();
  }

  /**
   * Counts down the finalize wait and resends my vote, with backoff, to every peer not known to be
   * established: a recorded LOOKING vote may be stale (that peer may have settled since), and only a fresh
   * exchange reveals it.
   */
  Decision onTick() {
    boolean avoidEnded = avoidTicks > 0 && --avoidTicks == 0;
    if (preferTicks > 0 && --preferTicks == 0) {
      preferred = null;
    }
    if (!looking) {
      return null;
    }
    warnIfStuck();
    if (avoidEnded) {
      Decision d = joinEstablished(); // the established peers answered already; they will not repeat it
      if (d != null) {
        return d;
      }
    }
    if (--resendCountdown <= 0) {
      // What established peers said may be stale too (a follower that became the leader, or follows another one now,
      // does not tell): a non-voter asks them all again, and so does a voter looking past initLimit (found by the
      // randomized membership simulation: a voter held two answers naming a leader it cannot reach, long after those
      // peers moved on). Before that a voter leaves them alone, as they answer every change of its vote.
      boolean askEstablished = !r.electionVoter() || lookingTicks > r.timing().initLimitTicks();
      for (long v : recipients()) {
        if (askEstablished || !established.containsKey(v) || !r.selfVoter()) {
          r.send(v, notification(v, Role.LOOKING));
        }
      }
      // ... and every leader its established peers name that has not said LEADING to it, voter or not: those answers
      // may predate that server's election (a voter holding "3 follows 2" and "2 follows 3" waited for ever)
      Set<Long> named = new TreeSet<>();
      established.values().forEach(n -> named.add(n.leader()));
      named.forEach(leader -> askNamedLeader(leader, true));
      resendInterval = Math.min(resendInterval * 2, r.timing().maxNotificationIntervalTicks());
      resendCountdown = resendInterval;
    }
    if (finalizeCountdown > 0 && --finalizeCountdown == 0) {
      return decide();
    }
    return null;
  }

  /**
   * An election that cannot conclude because servers are repairing says so, at most once per initLimit (a clear
   * periodic WARN, never a guess): a repairing server waits for a leader the others elect; a voter names the voters
   * that do not vote. With more than a minority of voters repairing or down, an operator has to act.
   */
  private void warnIfStuck() {
    lookingTicks++;
    if (lookingTicks < nextStuckWarning) {
      return;
    }
    nextStuckWarning = lookingTicks + 2L * r.timing().initLimitTicks();
    if (r.repairing != null) {
      LOG.warn("server {} is repairing its damaged log ({}) and does not vote: for {} ticks no leader elected by the"
          + " other voters of {} has been found. It waits; if more than a minority of the voters are repairing or"
          + " down, the others cannot elect one: restore a server's data or bring one back", r.self(), r.repairing,
          lookingTicks, r.quorum().voters());
    } else if (!abstaining.isEmpty() && r.selfVoter()) {
      LOG.warn("server {} has been LOOKING for {} ticks (round {}): voters {} are repairing damaged logs and do not"
          + " vote; a quorum of the voters {} must vote without them. It waits; if that is impossible, restore a"
          + " repairing server's data or bring a down server back", r.self(), lookingTicks, round, abstaining,
          r.quorum().voters());
    }
  }

  /**
   * Do not join {@code leader}'s established epoch for {@code ticks}: it offered an epoch older than one this
   * server accepted, and rejoining at once would loop without end.
   */
  void avoid(long leader, int ticks) {
    avoidedLeader = leader;
    avoidTicks = ticks;
  }

  /** Answers {@code to} with my state, vote and round (a join that this server, in {@code myRole}, cannot serve). */
  void answer(long to, Role myRole) {
    if (to != r.self()) {
      r.send(to, notification(to, myRole));
    }
  }

  /** A connection came up: a LOOKING server sends its vote right away (to a voter it learned of too). */
  void onConnected(long peer) {
    if (looking && recipients().contains(peer)) {
      r.send(peer, notification(peer, Role.LOOKING));
    }
  }

  /**
   * Keeps the membership a notification carries if it is newer than mine (docs/protocol.md, stranded members): the
   * sender is a server the transport authenticated, and what is learned only says where servers are and whom to ask.
   * A LOOKING server asks the voters it learned of at once where it is connected to them already.
   */
  private void learnFrom(long from, Notification n) {
    if (!r.learned.offer(n.configVersion(), n.membership(), r.membershipVersion())) {
      return;
    }
    LOG.info("server {} learned from server {} of membership {} (version {}), newer than its own (version {}):"
        + " reaching its members to find the leader", r.self(), from, n.membership(), n.configVersion(),
        r.membershipVersion());
    if (looking) {
      for (long v : n.membership().voterIds()) {
        if (v != r.self() && !r.isVoter(v) && r.connected.contains(v)) {
          r.send(v, notification(v, Role.LOOKING));
        }
      }
    }
  }

  /**
   * A LOOKING peer whose log is behind mine gets my notification, with my membership, even where the election
   * rules would not answer it (I do not count its vote, or I am not a voter): it may know no other server that can
   * tell it where the members it missed are (found by the randomized membership simulation). At most once per tick
   * per peer, so two LOOKING servers cannot answer each other without end.
   */
  private void answerIfBehind(long from, Notification n) {
    if (n.state() == Role.LOOKING && LearnedMembership.newer(r.membershipVersion(), n.configVersion())
        && answeredBehind.getOrDefault(from, -1L) != r.ticks) {
      answeredBehind.put(from, r.ticks);
      r.send(from, notification(from, Role.LOOKING));
    }
  }

  /**
   * Whether a vote for {@code sid} may elect it: my membership lets it lead ({@link Replica#mayLead}), or a newer
   * membership I learned of lists it as a voter (a change I missed added it; only adopting the vote depends on this,
   * never a tally).
   */
  private boolean mayLead(long sid) {
    return r.mayLead(sid) || r.learned.voters(r.membershipVersion()).contains(sid);
  }

  private boolean newerThanMine(Notification n) {
    return LearnedMembership.newer(n.configVersion(), r.membershipVersion());
  }

  /**
   * Whom a LOOKING server tells its vote: the voters of its membership, and of a newer one it learned of. A server
   * outside the election's voters tells their observers too: it only looks for the leader, and an observer it knows
   * may be the one server that still lists it (seed 8250 of the randomized membership run: a server whose voters had
   * all been removed while it was away, added back as an observer, could reach only an observer, and never asked it).
   */
  private Set<Long> recipients() {
    Set<Long> to = new TreeSet<>(r.quorum().voters());
    to.addAll(r.learned.voters(r.membershipVersion()));
    if (!r.electionVoter()) {
      r.membership().members().forEach(m -> to.add(m.id()));
      r.learned.members(r.membershipVersion()).forEach(m -> to.add(m.id()));
    }
    to.remove(r.self());
    return to;
  }

  private void changeVote(Vote v) {
    if (!v.equals(myVote)) {
      myVote = v;
      finalizeCountdown = -1; // a better vote cancels a pending finalize wait
    }
  }

  /** S5.3: when my vote has a quorum, wait a little for a better one (or decide if everyone agrees). */
  private Decision evaluate() {
    if (!r.electionVoter()) {
      return null; // a non-voter only joins an established leader
    }
    tally.put(r.self(), myVote);
    Set<Long> agree = new TreeSet<>();
    tally.forEach((sid, v) -> {
      if (v.equals(myVote)) {
        agree.add(sid);
      }
    });
    if (!r.quorum().isQuorum(agree)) {
      finalizeCountdown = -1;
      return null;
    }
    if (r.quorum().allVoters(agree) || r.timing().finalizeWaitTicks() == 0) {
      return decide();
    }
    if (finalizeCountdown < 0) {
      finalizeCountdown = r.timing().finalizeWaitTicks();
    }
    return null;
  }

  private Decision decide() {
    looking = false;
    finalizeCountdown = -1;
    preferred = null;
    Role role = myVote.leader() == r.self() ? Role.LEADING : r.electionVoter() ? Role.FOLLOWING : Role.OBSERVING;
    LOG.info("server {} election round {} done: {} {}", r.self(), round, role, myVote);
    return new Decision(role, myVote);
  }

  /**
   * S3 second half: follow leader L when a quorum (counting myself) of established peers names L and L
   * itself says LEADING, so that a dead leader's followers cannot re-elect it. The quorum is one of my membership,
   * or, when L is ahead of me and sent its membership, one of L's membership if it lists me (my log missed a change:
   * a quorum of my old membership may no longer exist). Following decides nothing: L counts its own quorums.
   */
  private Decision joinEstablished() {
    if (!r.electionVoter()) {
      return joinAsNonVoter();
    }
    TreeMap<Long, Set<Long>> support = new TreeMap<>();
    established.forEach((sid, n) -> support.computeIfAbsent(n.leader(), l -> new TreeSet<>(Set.of(r.self()))).add(sid));
    for (Map.Entry<Long, Set<Long>> e : support.descendingMap().entrySet()) {
      long leader = e.getKey();
      Notification fromLeader = established.get(leader);
      boolean leaderSaysLeading = fromLeader != null && fromLeader.state() == Role.LEADING
          && fromLeader.leader() == leader;
      boolean avoided = leader == avoidedLeader && avoidTicks > 0;
      if (leader != r.self() && !avoided && leaderSaysLeading
          && (r.quorum().isQuorum(e.getValue()) || quorumOfLeadersMembership(fromLeader, e.getValue()))) {
        myVote = new Vote(leader, fromLeader.zxid(), fromLeader.peerEpoch());
        return decide();
      }
    }
    // Past initLimit without a decision, a voter follows a server that says LEADING of itself on that word alone, as a
    // non-voter does: the voters its membership lists may be removed ones that never answer FOLLOWING (it missed
    // changes while away; found by the randomized membership simulation). Following a leader is safe whoever it is
    // (its epoch and commits need its own quorums); a stale one only costs a discovery that fails.
    return lookingTicks > r.timing().initLimitTicks() ? joinAsNonVoter() : null;
  }

  /** Whether {@code support} is a quorum of the membership the leader sent me, newer than mine and listing me. */
  private boolean quorumOfLeadersMembership(Notification fromLeader, Set<Long> support) {
    Membership m = fromLeader.membership();
    return m != null && newerThanMine(fromLeader) && m.isMember(r.self()) && Configuration.of(m).isQuorum(support);
  }

  /**
   * A non-voter follows the server that says LEADING of itself with the best vote: it cannot count a quorum for a
   * leader that may not even know it (a server being added is known to the leader only), and following a deposed
   * leader costs it only time, since it decides nothing.
   */
  private Decision joinAsNonVoter() {
    Notification best = null;
    long bestLeader = 0;
    for (Map.Entry<Long, Notification> e : established.entrySet()) {
      Notification n = e.getValue();
      boolean avoided = e.getKey() == avoidedLeader && avoidTicks > 0;
      if (n.state() == Role.LEADING && n.leader() == e.getKey() && !avoided
          && (best == null || voteOf(n).beats(voteOf(best)))) {
        best = n;
        bestLeader = e.getKey();
      }
    }
    if (best == null) {
      return null;
    }
    myVote = new Vote(bestLeader, best.zxid(), best.peerEpoch());
    return decide();
  }

  /**
   * A server that does not vote by its own membership still tells the voters asking it which candidate it would
   * back: the best one (by S4) their notifications named that its membership lets lead and whose log is at least as
   * up to date as its own, never itself. Voters whose
   * membership counts it as a voter need that (a new voter that missed the JOINT txn promoting it sees itself as an
   * observer, and the joint configuration needs its vote: found by the randomized membership simulation). Safety does
   * not depend on who votes (the leader's epoch and NEWLEADER quorums are counted under its own membership), and a
   * repairing server never votes.
   */
  private void relayVote(long from, Notification n) {
    Vote received = voteOf(n);
    if (r.repairing != null || !n.voting() || received.leader() == r.self() || !mayLead(received.leader())
        || !atLeastAsUpToDate(received, selfVote())) {
      return; // like a voter, never back a candidate whose log is behind mine (S4)
    }
    if (n.round() > round || (n.round() < round && myVote.leader() == r.self())) {
      // a vote of another round is no vote in this one; without a vote to relay, my own round (counted up by my own
      // restarts of the election) means nothing to the voters, so I take theirs
      round = n.round();
      myVote = selfVote();
    } else if (n.round() < round) {
      if (myVote.leader() != r.self()) {
        r.send(from, notification(from, Role.LOOKING)); // the lagging voter catches up with my round and vote
      }
      return;
    }
    if (myVote.leader() == r.self() || beats(received, myVote)) {
      myVote = received;
      sendToAll();
    }
  }

  /**
   * An established peer names its leader: if my membership does not count that server among the voters I ask (a
   * change this server missed promoted it), ask it directly, since following it needs its own LEADING word (S3).
   * Found by the randomized membership simulation: a member whose configuration listed the leader as an observer
   * stayed LOOKING while every voter it asked followed that leader.
   */
  private void askNamedLeader(Notification n) {
    askNamedLeader(n.leader(), false);
  }

  /** Asks {@code leader} for its state unless it said LEADING already; a voter only if {@code voters}. */
  private void askNamedLeader(long leader, boolean voters) {
    Notification fromLeader = established.get(leader);
    boolean heard = fromLeader != null && fromLeader.state() == Role.LEADING && fromLeader.leader() == leader;
    if (leader != r.self() && !heard && (voters || !r.isVoter(leader))) {
      r.send(leader, notification(leader, Role.LOOKING));
    }
  }

  private static boolean atLeastAsUpToDate(Vote a, Vote b) {
    return a.peerEpoch() > b.peerEpoch() || (a.peerEpoch() == b.peerEpoch() && !a.zxid().isBefore(b.zxid()));
  }

  private static Vote voteOf(Notification n) {
    return new Vote(n.leader(), n.zxid(), n.peerEpoch());
  }

  private Vote selfVote() {
    return new Vote(r.self(), r.log.last(), r.currentEpoch);
  }

  /** My notification for {@code to}: with my membership only if its last notification showed it behind me. */
  private Notification notification(long to, Role state) {
    long mine = r.membershipVersion();
    Long theirs = peerVersions.get(to);
    Membership attached = theirs != null && LearnedMembership.newer(mine, theirs) ? r.membership() : null;
    // a server outside the election voters votes only for a candidate it relays (relayVote), never for itself
    boolean votes = r.repairing == null && (state != Role.LOOKING || r.electionVoter() || myVote.leader() != r.self());
    return new Notification(state, myVote.leader(), myVote.zxid(), round, myVote.peerEpoch(), votes, mine, attached);
  }

  private void sendToAll() {
    for (long v : recipients()) {
      r.send(v, notification(v, Role.LOOKING));
    }
  }
}
