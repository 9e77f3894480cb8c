package io.zab.protocol;

import io.zab.Member;
import io.zab.wire.Membership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * What the replica's membership announcement (the members the transport must reach, the committed configuration)
 * was last computed from, so that the announcement, which runs after every batch, is recomputed only when one of
 * them changed. Memberships are immutable: the same object means the same members. {@code extra} may be a live
 * view (the leader's learners), so its elements are kept, not the collection.
 */
final class AnnouncementInputs {
  private boolean known;
  private long revision;
  private boolean changePending;
  private Membership learned;
  private Membership committed;
  private final List<Member> extra = new ArrayList<>();

  /**
   * @param revision {@link Memberships#revision()}
   * @param changePending whether the log's last membership change is not known committed
   * @param learned the newer membership heard of in notifications, or null
   * @param committed the membership in force at the commit point
   * @param extra the role's peers outside the membership
   */
  boolean same(long revision, boolean changePending, Membership learned, Membership committed,
      Collection<Member> extra) {
    return known && this.revision == revision && this.changePending == changePending && this.learned == learned
        && this.committed == committed && sameElements(extra);
  }

  /** Records the inputs of a computation (arguments as for {@link #same}). */
  void remember(long revision, boolean changePending, Membership learned, Membership committed,
      Collection<Member> extra) {
    this.known = true;
    this.revision = revision;
    this.changePending = changePending;
    this.learned = learned;
    this.committed = committed;
    this.extra.clear();
    this.extra.addAll(extra);
  }

  private boolean sameElements(Collection<Member> now) {
    if (now.size() != extra.size()) {
      return false;
    }
    Iterator<Member> it = extra.iterator();
    for (Member m : now) {
      if (!m.equals(it.next())) {
        return false;
      }
    }
    return true;
  }
}
