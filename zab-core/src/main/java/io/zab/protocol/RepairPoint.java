package io.zab.protocol;

import io.zab.Zxid;
import java.util.Objects;

/**
 * A server repairing a damaged log (docs/protocol.md, repair): what it may have lost, so that it neither votes nor
 * counts in any quorum until a leader elected by the others has synced it past that. It may have acknowledged the
 * records it lost, so counting it could let a quorum form that lacks a committed txn.
 *
 * @param lastLogged the highest zxid this server can prove it had logged before the damage (the damage point when
 *     nothing after it is readable)
 * @param epoch this server's currentEpoch when the damage was found: it acknowledged no txn of a newer epoch
 */
public record RepairPoint(Zxid lastLogged, long epoch) {
  public RepairPoint {
    Objects.requireNonNull(lastLogged, "lastLogged");
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
  }

  /** The later of two repairs (a server damaged again while repairing must get past both). */
  public RepairPoint merge(RepairPoint other) {
    if (other == null) {
      return this;
    }
    return new RepairPoint(Zxid.max(lastLogged, other.lastLogged), Math.max(epoch, other.epoch));
  }

  /**
   * Whether a completed sync (UPTODATE) with the leader of {@code leaderEpoch}, with this server's log durable up to
   * {@code durable}, ends the repair: the log holds again everything up to {@code lastLogged}, or the leader's epoch is
   * newer than any txn this server acknowledged (an established leader's history holds every committed txn, and a txn
   * of an older epoch outside it can never be committed).
   */
  public boolean passedBy(long leaderEpoch, Zxid durable) {
    return !durable.isBefore(lastLogged) || leaderEpoch > epoch;
  }

  @Override
  public String toString() {
    return "repair(lastLogged=" + lastLogged + ", epoch=" + epoch + ")";
  }
}
