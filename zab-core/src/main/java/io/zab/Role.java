package io.zab;

/**
 * The state of a server in the ensemble (S1).
 *
 * <p>Every server starts {@link #LOOKING}; an election makes one {@link #LEADING} and the rest
 * {@link #FOLLOWING}; losing the leader (or, for a leader, its quorum) sends everyone back to LOOKING.
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
  LEADING
}
