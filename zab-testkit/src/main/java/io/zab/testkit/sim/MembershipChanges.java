package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Random membership changes while faults go on (issue 11): every so often a random running server is asked to add
 * or remove a voter or an observer, promote or demote one, replace a voter, move one to another address, or hand
 * leadership to a voter, always derived from the configuration that server sees (so some are stale, some collide
 * with a change under way, some new voters are down and never catch up: every outcome is allowed, none may break
 * an invariant). Counts what was asked and how it ended.
 */
public final class MembershipChanges {
  private final Simulation sim;
  private final SplittableRandom random;
  private final long minGapMicros;
  private final long maxGapMicros;
  private boolean running;
  private int asked;
  private int completed;
  private final Map<String, Integer> refused = new TreeMap<>();
  private final List<SimRequest> requests = new ArrayList<>();

  /**
   * Changes that have not started yet: see {@link #start()}.
   *
   * @param sim the simulation to ask in
   * @param minGapMicros shortest simulated time between two changes asked
   * @param maxGapMicros longest simulated time between two changes asked
   */
  public MembershipChanges(Simulation sim, long minGapMicros, long maxGapMicros) {
    this.sim = sim;
    this.random = sim.random();
    this.minGapMicros = minGapMicros;
    this.maxGapMicros = maxGapMicros;
  }

  /** Starts asking: one random change every {@code minGapMicros}..{@code maxGapMicros} until {@link #stop()}. */
  public void start() {
    running = true;
    sim.scheduler().repeatAtRandomGaps(random, minGapMicros, maxGapMicros, () -> running, this::inject);
  }

  /** Asks no more changes; those under way go on. */
  public void stop() {
    running = false;
  }

  /**
   * Changes asked.
   *
   * @return the number of changes asked so far
   */
  public int asked() {
    return asked;
  }

  /**
   * Changes that completed (reconfigurations committed, transfers done).
   *
   * @return the number completed so far
   */
  public int completed() {
    return completed;
  }

  /**
   * How many ended refused, by reject code.
   *
   * @return a copy: the count of changes that did not complete, by reject code (LOST: the server went down)
   */
  public Map<String, Integer> refused() {
    return Map.copyOf(refused);
  }

  private void inject() {
    List<SimServer> alive = sim.servers().stream().filter(SimServer::alive).toList();
    if (alive.isEmpty()) {
      return;
    }
    SimServer entry = alive.get(random.nextInt(alive.size()));
    ClusterConfiguration seen = entry.node().configuration();
    SimRequest r;
    if (random.nextInt(100) < 15) {
      List<Member> voters = seen.voters();
      long target = voters.get(random.nextInt(voters.size())).id();
      sim.trace().note(sim.now(), "s" + entry.id() + " asked to hand leadership over to s" + target);
      r = entry.transferLeadership(target, random.nextLong(20, 121));
    } else {
      ClusterConfiguration target = change(seen);
      if (target == null) {
        return;
      }
      sim.trace().note(sim.now(), "s" + entry.id() + " asked to change to " + target);
      r = entry.reconfigure(target, random.nextLong(20, 201));
    }
    asked++;
    requests.add(r);
    r.onDone(this::ended);
  }

  private void ended(SimRequest r) {
    if (r.status() == SimRequest.Status.COMPLETED) {
      completed++;
    } else if (r.status() == SimRequest.Status.REJECTED) {
      refused.merge(r.rejectCode().name(), 1, Integer::sum);
    } else {
      refused.merge("LOST", 1, Integer::sum);
    }
  }

  /** A random change of {@code c}, about a random server (null if none applies). */
  private ClusterConfiguration change(ClusterConfiguration c) {
    int n = sim.servers().size();
    long x = 1 + random.nextInt(n);
    Member mx = c.member(x).orElse(Member.local(x));
    int kind = random.nextInt(100);
    if (!c.isMember(x)) {
      return kind < 50 ? c.withObserver(mx) : c.withVoter(mx);
    }
    if (c.isObserver(x)) {
      return kind < 50 ? c.without(x) : c.withVoter(mx);
    }
    if (kind < 25) { // a member at another "address" (the simulated network routes by id: the STABLE-only path)
      return c.withVoter(new Member(x, mx.host(), (mx.port() + 1) % 65536));
    }
    if (c.voters().size() == 1) {
      return null; // the last voter stays
    }
    if (kind < 50) {
      return c.without(x);
    }
    if (kind < 70) {
      return c.withObserver(mx);
    }
    for (long y = 1; y <= n; y++) { // replace x by a server that is not a voter
      long candidate = 1 + Math.floorMod(x + y, n);
      if (!c.isVoter(candidate)) {
        return c.without(x).withVoter(c.member(candidate).orElse(Member.local(candidate)));
      }
    }
    return c.without(x);
  }

  /**
   * Whether every change asked has ended.
   *
   * @return true if none is pending
   */
  public boolean allEnded() {
    return requests.stream().allMatch(SimRequest::done);
  }
}
