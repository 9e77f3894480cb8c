package io.zab;

/**
 * The state of a server in the ensemble (S1).
 *
 * <p>Every server starts {@link #LOOKING}; an election makes one {@link #LEADING} and the rest
 * {@link #FOLLOWING}; losing the leader (or, for a leader, its quorum) sends everyone back to LOOKING. Servers that
 * are not voters of the cluster configuration (observers, servers being added, removed ones still attached) follow
 * the leader as {@link #OBSERVING}.
 *
 * <pre>{@code
 * if (node.role() == Role.LEADING) { ... }
 * }</pre>
 */
public enum Role {
  /** Taking part in an election. */
  LOOKING,
  /** Following an elected leader. */
  FOLLOWING,
  /** The elected leader of the current epoch. */
  LEADING,
  /**
   * Following the leader without a vote: the server receives every committed txn, serves local reads, forwards
   * writes and read barriers, but never counts in a quorum (an observer, or a server catching up before it votes).
   */
  OBSERVING
}
