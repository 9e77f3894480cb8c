package io.zab.runtime;

import io.zab.ZabStatus;
import io.zab.ZabStatus.FollowerStatus;
import io.zab.ZabStatus.SnapshotTransfer;
import io.zab.protocol.FollowerProgress;
import io.zab.protocol.Peer;
import io.zab.protocol.RepairPoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Builds a {@link ZabStatus} from the core and the runtime around it. Protocol thread only: it reads the
 * {@link Peer} and the snapshot transfers between two batches, so those parts belong to one state.
 */
final class StatusBuilder {
  private final long serverId;
  private final Peer peer;
  private final Supplier<List<SnapshotTransfer>> transfers;
  private final ApplyLoop applyLoop;
  private final LongSupplier logBacklogBytes;
  private final long tickMillis;
  private final Clock clock;

  /** @param transfers the snapshot transfers in progress (the {@link ActionRunner}'s) */
  StatusBuilder(long serverId, Peer peer, Supplier<List<SnapshotTransfer>> transfers, ApplyLoop applyLoop,
      LongSupplier logBacklogBytes, long tickMillis, Clock clock) {
    this.serverId = serverId;
    this.peer = peer;
    this.transfers = transfers;
    this.applyLoop = applyLoop;
    this.logBacklogBytes = logBacklogBytes;
    this.tickMillis = tickMillis;
    this.clock = clock;
  }

  ZabStatus build() {
    List<FollowerStatus> followers = new ArrayList<>();
    for (FollowerProgress p : peer.followers()) {
      followers.add(follower(p));
    }
    return new ZabStatus(serverId, clock.instant(), peer.role(), peer.established(), peer.currentEpoch(),
        Leaders.of(peer.leader()), peer.lastZxid(), peer.committedZxid(), applyLoop.applied(), applyLoop.backlog(),
        applyLoop.backlogBytes(), logBacklogBytes.getAsLong(), followers, transfers.get(),
        Optional.ofNullable(peer.repairing()).map(RepairPoint::lastLogged));
  }

  /** Whether the role, its establishment, the leader or the epoch differ from {@code last}'s. */
  boolean roleChangedSince(ZabStatus last) {
    return last.role() != peer.role() || last.established() != peer.established()
        || last.epoch() != peer.currentEpoch() || last.leader().orElse(0) != peer.leader();
  }

  private FollowerStatus follower(FollowerProgress p) {
    Optional<Duration> heard = p.ticksSinceHeard() < 0 ? Optional.empty()
        : Optional.of(Duration.ofMillis(p.ticksSinceHeard() * tickMillis));
    return new FollowerStatus(p.sid(), p.voter(), p.connected(), phase(p.phase()),
        FollowerStatus.Flow.valueOf(p.flow().name()), p.acked(), peer.txnsAfter(p.acked()), peer.bytesAfter(p.acked()),
        p.bytesInFlight(), heard);
  }

  private static FollowerStatus.Phase phase(FollowerProgress.Phase p) {
    return switch (p) {
      case NONE -> FollowerStatus.Phase.NOT_JOINED;
      case INFO, EPOCH_ACKED -> FollowerStatus.Phase.DISCOVERY;
      case SYNCING -> FollowerStatus.Phase.SYNCING;
      case SYNCED -> FollowerStatus.Phase.SYNCED;
    };
  }
}
