package io.zab;

/**
 * Receives this server's {@link ZabStatus} periodically, every {@code ZabNode.Builder.statusPeriod} (1 s by
 * default), for logging or exporting it. Register with {@link ZabNode#addStatusListener}.
 *
 * <pre>{@code
 * node.addStatusListener(s -> {
 *   if (s.role() == Role.LEADING) s.followers().forEach(f -> lagGauge(f.serverId()).set(f.lagTxns()));
 * });
 * }</pre>
 *
 * <p>Threading: like a {@link ZabListener}, called on the node's callback executor
 * ({@code ZabNode.Builder.callbackExecutor}, by default the node's {@code zab-callback-<id>} thread), one call at a
 * time and in order with the node's other callbacks; never on the protocol thread. A slow listener delays later
 * callbacks, not the protocol; a report due while the previous one is still queued is skipped, not queued twice.
 */
@FunctionalInterface
public interface StatusListener {

  /**
   * The status at the end of one period.
   *
   * @param status the latest status of the node
   */
  void status(ZabStatus status);
}
