package io.zab;

import java.util.OptionalLong;

/**
 * The server that received the request cannot order it right now (it is not, or no longer, the leader, or
 * it is following a leader that has not finished syncing it). The request was not proposed.
 *
 * <pre>{@code
 * catch (NotLeaderException e) { e.leader().ifPresent(id -> log.info("leader is {}", id)); retryLater(); }
 * }</pre>
 */
public final class NotLeaderException extends ZabException {
  private final long leader;

  public NotLeaderException(long leader) {
    super("this server cannot order the request now" + (leader > 0 ? " (the leader is server " + leader + ")" : "")
        + "; it was not proposed: retry, on any server, after the election settles");
    this.leader = leader;
  }

  /** The leader's server id, when this server knows it. */
  public OptionalLong leader() {
    return leader > 0 ? OptionalLong.of(leader) : OptionalLong.empty();
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
