package io.zab.protocol;

import io.zab.Member;
import io.zab.wire.Membership;
import java.util.List;
import java.util.Set;

/**
 * The newest membership a server heard of in election notifications while its own log is behind (docs/protocol.md,
 * stranded members). It is used for reaching servers only: their addresses go to the transport, and the election
 * asks its voters who leads. It never counts a quorum: the server's own membership in force stays that of its log
 * until a leader syncs it.
 */
final class LearnedMembership {
  private Membership membership;
  private long version;

  /**
   * Keeps {@code m} if its version is newer than {@code ownVersion} and than the one held.
   *
   * @return whether it was kept (the servers to reach may have changed)
   */
  boolean offer(long version, Membership m, long ownVersion) {
    if (m == null || !newer(version, ownVersion) || (membership != null && !newer(version, this.version))) {
      return false;
    }
    membership = m;
    this.version = version;
    return true;
  }

  /** The membership held while it is newer than {@code ownVersion}, else null. */
  Membership newerThan(long ownVersion) {
    return membership != null && newer(version, ownVersion) ? membership : null;
  }

  /** Its members while newer than {@code ownVersion}, else none. */
  List<Member> members(long ownVersion) {
    Membership m = newerThan(ownVersion);
    return m == null ? List.of() : m.members();
  }

  /** Its voters while newer than {@code ownVersion}, else none. */
  Set<Long> voters(long ownVersion) {
    Membership m = newerThan(ownVersion);
    return m == null ? Set.of() : m.voterIds();
  }

  /** Forgets it: the server's log now says who the members are. */
  void clear() {
    membership = null;
    version = 0;
  }

  static boolean newer(long version, long than) {
    return Long.compareUnsigned(version, than) > 0;
  }
}
