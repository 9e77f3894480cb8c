package io.zab.nemesis;

import io.zab.examples.client.KvClient;
import io.zab.examples.client.MembersView;
import io.zab.examples.client.Poll;
import io.zab.nemesis.cluster.Cluster;
import io.zab.nemesis.fault.Fault;
import io.zab.nemesis.membership.ChangeOutcome;
import io.zab.nemesis.net.NetPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The membership faults, through the servers' HTTP API: a leadership transfer to a follower, and a follower voter
 * removed (its process keeps running) and added back. Every call is classified ({@link ChangeOutcome}); a lost race
 * is retried from a fresh {@code GET /members}, an unknown outcome is resolved by reading it. {@link #restoreVoters}
 * makes every server a voter again before the final checks.
 */
final class MembershipFaults {
  /** How long a re-added voter may take to catch up before zab gives the change up (it is then asked again). */
  static final Duration CATCH_UP = Duration.ofSeconds(30);
  static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(10);
  /** How long one change may keep being retried (lost races, unknown outcomes, elections). */
  static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Cluster cluster;
  private final Progress progress;
  private final MembershipTally tally = new MembershipTally();

  MembershipFaults(Cluster cluster, Progress progress) {
    this.cluster = cluster;
    this.progress = progress;
  }

  MembershipTally tally() {
    return tally;
  }

  FaultRecord transfer(int round, Fault.TransferLeader t) {
    long start = cluster.clock().micros();
    MembersView m = read(0);
    if (m == null || m.leader() == null) {
      progress.log("round %d: leadership transfer: no server knows a leader now; not asked", round);
      return new FaultRecord(round, t.kind(), "transfer leadership: skipped (no leader)", start,
          cluster.clock().micros(), 0, 0, 0, "not asked");
    }
    int from = m.leader().intValue();
    List<Integer> followers = voters(m).stream().filter(id -> id != from).toList();
    int to = followers.get(Math.floorMod(t.pick(), followers.size()));
    String what = "transfer leadership from server " + from + " to server " + to;
    progress.log("round %d: %s", round, what);
    tally.transfersAsked++;
    ChangeOutcome o = call(() -> cluster.client(from).transferLeader(to, TRANSFER_TIMEOUT));
    String note;
    if (o == ChangeOutcome.UNKNOWN || o == ChangeOutcome.OK) {
      boolean moved = Poll.until(TRANSFER_TIMEOUT, () -> leads(read(0), to)).value().isPresent();
      note = o == ChangeOutcome.OK ? (moved ? "done" : "answered done, yet server " + to + " does not lead")
          : "outcome unknown; read back: " + (moved ? "server " + to + " leads" : "server " + to + " does not lead");
      if (moved) {
        tally.transfersDone++;
      }
    } else {
      note = "refused (" + o + "): nothing changed";
    }
    long end = cluster.clock().micros();
    progress.log("round %d: transfer to server %d: %s", round, to, note);
    return new FaultRecord(round, t.kind(), what, start, end, 0, 0, 0, note);
  }

  FaultRecord removeAndAdd(int round, Fault.RemoveAndAdd r) throws InterruptedException {
    long start = cluster.clock().micros();
    MembersView m = read(0);
    if (m == null) {
      return new FaultRecord(round, r.kind(), "remove and re-add a follower: skipped (no member answered)", start,
          cluster.clock().micros(), 0, 0, 0, "not asked");
    }
    Long leader = m.leader();
    List<Integer> followers = voters(m).stream().filter(id -> leader == null || id != leader.longValue()).toList();
    int target = followers.get(Math.floorMod(r.pick(), followers.size()));
    String what = "remove follower " + target + " (process keeps running), re-add it as a voter after "
        + r.outMillis() + " ms";
    progress.log("round %d: %s", round, what);
    String removed = remove(target);
    long t = System.nanoTime();
    FaultRunner.sleepUntil(t + TimeUnit.MILLISECONDS.toNanos(removed.equals("removed") ? r.outMillis() : 0));
    String added = ensureVoter(target);
    long end = cluster.clock().micros();
    String note = removed + "; " + added;
    progress.log("round %d: server %d %s", round, target, note);
    return new FaultRecord(round, r.kind(), what, start, end, 0, 0, 0, note);
  }

  /**
   * Makes every server of the run a voter again (after the faults, before the final checks).
   *
   * @return what could not be restored, empty if all are voters
   */
  List<String> restoreVoters() {
    List<String> problems = new ArrayList<>();
    for (int id : cluster.ids()) {
      String r = ensureVoter(id);
      if (!r.startsWith("a voter") && !r.startsWith("re-added")) {
        problems.add("server " + id + " could not be made a voter again before the final checks: " + r
            + "; the cluster may be left with fewer than " + cluster.ids().size() + " voters");
      }
    }
    return problems;
  }

  /** Removes voter {@code target}; says what happened ("removed", or why not). */
  private String remove(int target) {
    tally.changesAsked++;
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    ChangeOutcome last = null;
    while (System.nanoTime() - deadline < 0) {
      MembersView m = readOrPause(target);
      if (m == null) {
        continue;
      }
      if (m.member(target).isEmpty()) {
        tally.changesDone++;
        return last == ChangeOutcome.UNKNOWN ? "removed (outcome unknown, read back)" : "removed";
      }
      int via = via(m, target);
      long version = m.version();
      last = call(() -> cluster.client(via).removeMember(target, version));
      switch (last) {
        case OK -> {
          tally.changesDone++;
          return "removed";
        }
        case FAIL -> {
          return "removal refused (certainly not applied)";
        }
        case STALE -> LockSupport.parkNanos(RETRY_PAUSE_NANOS); // read again
        case UNKNOWN -> { } // the next read says whether it took effect
      }
    }
    return "removal not confirmed within " + PATIENCE.toSeconds() + " s (last outcome " + last + ")";
  }

  /** Makes {@code target} a voter if it is not one; says what happened ("a voter already", "re-added", or why not). */
  private String ensureVoter(int target) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    boolean asked = false;
    ChangeOutcome last = null;
    while (System.nanoTime() - deadline < 0) {
      MembersView m = readOrPause(target);
      if (m == null) {
        continue;
      }
      if (m.member(target).map(MembersView.Entry::voter).orElse(false)) {
        if (!asked) {
          return "a voter already";
        }
        tally.changesDone++;
        return last == ChangeOutcome.UNKNOWN ? "re-added (outcome unknown, read back)" : "re-added";
      }
      if (!asked) {
        asked = true;
        tally.changesAsked++;
      }
      int via = via(m, target);
      long version = m.version();
      last = call(() -> cluster.client(via).putMember(target, peerAddress(target), false, version, 0, CATCH_UP));
      switch (last) {
        case OK -> {
          tally.changesDone++;
          return "re-added";
        }
        case FAIL, STALE -> LockSupport.parkNanos(RETRY_PAUSE_NANOS); // nothing changed: read again and ask again
        case UNKNOWN -> { } // the next read says whether it took effect
      }
    }
    return "NOT re-added within " + PATIENCE.toSeconds() + " s (last outcome " + last + ")";
  }

  /** {@code m} if it names {@code id} as the leader, else null (a poll's "not yet"). */
  private static MembersView leads(MembersView m, int id) {
    return m != null && m.leader() != null && m.leader() == id ? m : null;
  }

  /** The configuration after a sync barrier, from the first server (other than {@code skip}) that gives it. */
  private MembersView read(int skip) {
    for (int id : cluster.ids()) {
      if (id == skip) {
        continue;
      }
      try {
        KvClient.Response r = cluster.client(id).members(true);
        if (r.ok()) {
          return MembersView.of(r);
        }
      } catch (RuntimeException e) {
        // this one does not serve now: ask the next
      }
    }
    return null;
  }

  /** {@link #read}, or null after a short pause when no server gave the configuration. */
  private MembersView readOrPause(int skip) {
    MembersView m = read(skip);
    if (m == null) {
      LockSupport.parkNanos(RETRY_PAUSE_NANOS);
    }
    return m;
  }

  /** Whom to ask for a change about {@code target}: the leader the view names, else another voter. */
  private static int via(MembersView m, int target) {
    if (m.leader() != null && m.leader() != target) {
      return m.leader().intValue();
    }
    return voters(m).stream().filter(id -> id != target).findFirst().orElseThrow();
  }

  private static List<Integer> voters(MembersView m) {
    return m.members().stream().filter(MembersView.Entry::voter).map(e -> (int) e.id()).sorted().toList();
  }

  private String peerAddress(int id) {
    return cluster.plan().peerIp(id) + ":" + NetPlan.PEER_PORT;
  }

  private static ChangeOutcome call(Supplier<KvClient.Response> request) {
    try {
      return ChangeOutcome.reply(request.get());
    } catch (RuntimeException e) {
      return ChangeOutcome.failure(e);
    }
  }
}
