package io.zab;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Observes a node's role changes and elections (S1), and changes of the cluster configuration. Register with
 * {@link ZabNode#addListener}.
 *
 * <pre>{@code
 * node.addListener(event -> {
 *   if (event.role() == Role.LEADING) metrics.leaderElected(event.epoch());
 * });
 * node.addListener(new ZabListener() {
 *   public void roleChanged(RoleChange event) {}
 *   public void configurationChanged(ClusterConfiguration c) { log.info("members now {}", c); }
 * });
 * }</pre>
 *
 * <p>Threading: called on the node's callback executor ({@code ZabNode.Builder.callbackExecutor}, by default the
 * node's {@code zab-callback-<id>} thread), one event at a time, in order; never on the protocol thread. A slow
 * listener delays later callbacks of the node (future completions included), not the protocol. Waiting there
 * for one of the node's futures deadlocks: the future would complete on the thread that waits.
 */
@FunctionalInterface
public interface ZabListener {

  /**
   * This server's role changed or an election concluded.
   *
   * @param event the new role, leader and epoch
   */
  void roleChanged(RoleChange event);

  /**
   * A newer cluster configuration was committed (as far as this server knows; see {@link ZabNode#configuration()}).
   * Not called for the configuration the node started with. Does nothing by default.
   */
  default void configurationChanged(ClusterConfiguration configuration) {}

  /**
   * One role change.
   *
   * @param serverId this server's id
   * @param role the new role
   * @param leader the leader's id; empty while LOOKING (as in {@link ZabNode#leader()} and {@link ZabStatus#leader()})
   * @param epoch the epoch the role belongs to
   * @param lastZxid this server's last logged zxid at the change
   */
  record RoleChange(long serverId, Role role, OptionalLong leader, long epoch, Zxid lastZxid) {
    /**
     * Checks the references.
     *
     * @param serverId this server's id
     * @param role the new role
     * @param leader the leader's id; empty while LOOKING
     * @param epoch the epoch the role belongs to
     * @param lastZxid this server's last logged zxid at the change
     */
    public RoleChange {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(leader, "leader");
      Objects.requireNonNull(lastZxid, "lastZxid");
    }
  }
}
