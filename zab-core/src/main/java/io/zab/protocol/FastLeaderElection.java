package io.zab.protocol;

import io.zab.Role;
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
    tally.clear();
    established.clear();
    myVote = selfVote();
    finalizeCountdown = -1;
    resendInterval = 1;
    resendCountdown = 1;
    LOG.info("server {} LOOKING: round {}, voting {}", r.self(), round, myVote);
    sendToAll();
    return evaluate();
  }

  /** Handles a vote; {@code myRole} is this server's current role. Returns a decision or null. */
  Decision onNotification(long from, Notification n, Role myRole) {
    if (!r.configuration.isVoter(from) || from == r.self()) {
      return null;
    }
    if (!looking) {
      if (n.state() == Role.LOOKING) {
        r.send(from, notification(myRole));
      }
      return null;
    }
    if (n.state() != Role.LOOKING) {
      established.put(from, n);
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
    if (n.round() > round) {
      round = n.round();
      tally.clear();
      Vote best = received.beats(selfVote()) ? received : selfVote();
      changeVote(best);
      sendToAll();
    } else if (n.round() < round) {
      r.send(from, notification(Role.LOOKING));
      return null;
    } else if (received.beats(myVote)) {
      changeVote(received);
      sendToAll();
    }
    tally.put(from, received);
    return evaluate();
  }

  /**
   * Counts down the finalize wait and resends my vote, with backoff, to every peer not known to be
   * established: a recorded LOOKING vote may be stale (that peer may have settled since), and only a fresh
   * exchange reveals it.
   */
  Decision onTick() {
    boolean avoidEnded = avoidTicks > 0 && --avoidTicks == 0;
    if (!looking) {
      return null;
    }
    if (avoidEnded) {
      Decision d = joinEstablished(); // the established peers answered already; they will not repeat it
      if (d != null) {
        return d;
      }
    }
    if (--resendCountdown <= 0) {
      for (long v : r.configuration.voters()) {
        if (v != r.self() && !established.containsKey(v)) {
          r.send(v, notification(Role.LOOKING));
        }
      }
      resendInterval = Math.min(resendInterval * 2, r.timing().maxNotificationIntervalTicks());
      resendCountdown = resendInterval;
    }
    if (finalizeCountdown > 0 && --finalizeCountdown == 0) {
      return decide();
    }
    return null;
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
    if (to != r.self() && r.configuration.isVoter(to)) {
      r.send(to, notification(myRole));
    }
  }

  /** A connection came up: a LOOKING server sends its vote right away. */
  void onConnected(long peer) {
    if (looking && peer != r.self() && r.configuration.isVoter(peer)) {
      r.send(peer, notification(Role.LOOKING));
    }
  }

  private void changeVote(Vote v) {
    if (!v.equals(myVote)) {
      myVote = v;
      finalizeCountdown = -1; // a better vote cancels a pending finalize wait
    }
  }

  /** S5.3: when my vote has a quorum, wait a little for a better one (or decide if everyone agrees). */
  private Decision evaluate() {
    tally.put(r.self(), myVote);
    Set<Long> agree = new TreeSet<>();
    tally.forEach((sid, v) -> {
      if (v.equals(myVote)) {
        agree.add(sid);
      }
    });
    if (!r.configuration.isQuorum(agree)) {
      finalizeCountdown = -1;
      return null;
    }
    if (r.configuration.allVoters(agree) || r.timing().finalizeWaitTicks() == 0) {
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
    Role role = myVote.leader() == r.self() ? Role.LEADING : Role.FOLLOWING;
    LOG.info("server {} election round {} done: {} {}", r.self(), round, role, myVote);
    return new Decision(role, myVote);
  }

  /**
   * S3 second half: follow leader L when a quorum (counting myself) of established peers names L and L
   * itself says LEADING, so that a dead leader's followers cannot re-elect it.
   */
  private Decision joinEstablished() {
    TreeMap<Long, Set<Long>> support = new TreeMap<>();
    established.forEach((sid, n) -> support.computeIfAbsent(n.leader(), l -> new TreeSet<>(Set.of(r.self()))).add(sid));
    for (Map.Entry<Long, Set<Long>> e : support.descendingMap().entrySet()) {
      long leader = e.getKey();
      Notification fromLeader = established.get(leader);
      boolean leaderSaysLeading = fromLeader != null && fromLeader.state() == Role.LEADING
          && fromLeader.leader() == leader;
      boolean avoided = leader == avoidedLeader && avoidTicks > 0;
      if (leader != r.self() && !avoided && leaderSaysLeading && r.configuration.isQuorum(e.getValue())) {
        myVote = new Vote(leader, fromLeader.zxid(), fromLeader.peerEpoch());
        return decide();
      }
    }
    return null;
  }

  private Vote selfVote() {
    return new Vote(r.self(), r.log.last(), r.currentEpoch);
  }

  private Notification notification(Role state) {
    return new Notification(state, myVote.leader(), myVote.zxid(), round, myVote.peerEpoch());
  }

  private void sendToAll() {
    for (long v : r.configuration.voters()) {
      if (v != r.self()) {
        r.send(v, notification(Role.LOOKING));
      }
    }
  }
}
