package io.zab.examples.server;

import io.zab.ChangeInProgressException;
import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.StaleConfigurationException;
import io.zab.Zxid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The membership side of the node program, independent of HTTP: reads the cluster configuration, derives a
 * change from it and hands it to zab ({@code reconfigure}, a compare-and-set on the version the caller read), moves
 * leadership. Replies carry the configuration, or zab's refusal with what the caller needs to decide again (the
 * current version after a lost race).
 *
 * <p>Thread-safe.
 */
final class MembershipService {
  /** What the HTTP request may wait beyond the catch-up bound: the change's two txns, or an election. */
  private static final Duration COMMIT_ALLOWANCE = Duration.ofSeconds(20);
  /** The catch-up bound of a change that adds no voter (zab does not use it then). */
  private static final Duration NO_CATCH_UP = Duration.ofSeconds(1);

  private final Supplier<ReplicatedLog> log;

  MembershipService(Supplier<ReplicatedLog> log) {
    this.log = log;
  }

  /** What {@code GET /members} shows: the version, the leader and every member with its role and address. */
  Map<String, Object> describe() {
    ReplicatedLog l = log.get();
    return describe(l.configuration(), l.leader());
  }

  static Map<String, Object> describe(ClusterConfiguration c, OptionalLong leader) {
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member m : c.members()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("id", m.id());
      one.put("role", c.isVoter(m.id()) ? "VOTER" : "OBSERVER");
      one.put("address", PeerList.address(m));
      members.add(one);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", c.version());
    body.put("versionZxid", new Zxid(c.version()).toString());
    body.put("leader", leader.isPresent() ? leader.getAsLong() : null);
    body.put("members", members);
    return body;
  }

  /**
   * Adds server {@code id} as a voter or an observer, or changes its role or address, in the configuration of
   * {@code version}; {@code replacing}, if given, is removed in the same change.
   */
  CompletableFuture<Reply> put(long id, String address, boolean observer, long version, OptionalLong replacing,
      Duration catchUpTimeout) {
    Member m = PeerList.member(id, address);
    ClusterConfiguration now = log.get().configuration();
    ClusterConfiguration base = now.withVersion(version);
    if (replacing.isPresent()) {
      long old = replacing.getAsLong();
      if (old == id) {
        throw new IllegalArgumentException("server " + id + " cannot replace itself: give another server's id");
      }
      if (!now.isMember(old)) {
        return notAMember(old, now);
      }
      base = base.without(old);
    }
    return change(observer ? base.withObserver(m) : base.withVoter(m), catchUpTimeout);
  }

  /** Removes server {@code id} from the configuration of {@code version}. */
  CompletableFuture<Reply> remove(long id, long version) {
    ClusterConfiguration now = log.get().configuration();
    if (!now.isMember(id)) {
      return notAMember(id, now);
    }
    return change(now.withVersion(version).without(id), NO_CATCH_UP);
  }

  /** Moves leadership to voter {@code id}. */
  CompletableFuture<Reply> transferLeadership(long id, Duration timeout) {
    ClusterConfiguration now = log.get().configuration();
    if (!now.isMember(id)) {
      return notAMember(id, now);
    }
    if (!now.isVoter(id)) {
      throw new IllegalArgumentException("server " + id + " is an observer: only a voter can lead (add it as a"
          + " voter first)");
    }
    return log.get().transferLeadership(id, timeout)
        .orTimeout(timeout.plus(COMMIT_ALLOWANCE).toMillis(), TimeUnit.MILLISECONDS)
        .handle((ok, e) -> e != null ? refusal(e) : new Reply(200, withLeader(describe(), id)));
  }

  private static Map<String, Object> withLeader(Map<String, Object> body, long leader) {
    body.put("leader", leader); // this node follows (or is) the target: its own view may say so a moment later
    return body;
  }

  private CompletableFuture<Reply> change(ClusterConfiguration target, Duration catchUpTimeout) {
    ReplicatedLog l = log.get();
    return l.reconfigure(target, catchUpTimeout)
        .orTimeout(catchUpTimeout.plus(COMMIT_ALLOWANCE).toMillis(), TimeUnit.MILLISECONDS)
        .handle((c, e) -> e != null ? refusal(e) : new Reply(200, describe(c, l.leader())));
  }

  /** zab's refusal; a lost race (409) also names the version in force, to read again and decide. */
  private Reply refusal(Throwable error) {
    Throwable e = KvService.unwrap(error);
    Reply r = Replies.of(e);
    long current;
    if (e instanceof StaleConfigurationException s) {
      current = s.currentVersion();
    } else if (e instanceof ChangeInProgressException) {
      current = log.get().configuration().version();
    } else {
      return r;
    }
    Map<String, Object> body = new LinkedHashMap<>(r.body());
    body.put("currentVersion", current);
    body.put("currentVersionZxid", new Zxid(current).toString());
    return new Reply(r.status(), body);
  }

  private static CompletableFuture<Reply> notAMember(long id, ClusterConfiguration c) {
    return CompletableFuture.completedFuture(Reply.of(404, "error", "server " + id + " is not a member of"
        + " configuration " + new Zxid(c.version()) + " (voters " + c.voterIds() + (c.observers().isEmpty() ? ""
        : ", observers " + c.observerIds()) + ")", "id", id));
  }
}
