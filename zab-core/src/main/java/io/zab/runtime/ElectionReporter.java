package io.zab.runtime;

import io.zab.Role;
import io.zab.protocol.Action;
import io.zab.protocol.Action.ElectionConcluded;
import io.zab.protocol.Action.RoleChanged;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per election, when this server serves again: the epoch, the winner, how long it took (wall clock,
 * and the core's ticks), how many attempts, whose votes it saw. The time runs from the node's start, or from the
 * first LOOKING after an established role, to the core's {@link ElectionConcluded}; failed attempts in between
 * (a leader not established within initLimit) belong to the same election. Protocol thread only.
 */
final class ElectionReporter {
  private static final Logger log = LoggerFactory.getLogger(ElectionReporter.class);

  private final long serverId;
  private final LongSupplier clock;
  private final LongConsumer onEnded;
  private long lookingSince;

  /**
   * @param clock nanoseconds, e.g. {@code System::nanoTime}; the first election starts now
   * @param onEnded told each election's duration in nanoseconds
   */
  ElectionReporter(long serverId, LongSupplier clock, LongConsumer onEnded) {
    this.serverId = serverId;
    this.clock = clock;
    this.onEnded = onEnded;
    this.lookingSince = clock.getAsLong();
  }

  void observe(Action a) {
    if (a instanceof RoleChanged r && r.role() == Role.LOOKING) {
      if (lookingSince == Long.MIN_VALUE) {
        lookingSince = clock.getAsLong();
      }
    } else if (a instanceof ElectionConcluded e) {
      long now = clock.getAsLong();
      long nanos = lookingSince == Long.MIN_VALUE ? 0 : now - lookingSince;
      lookingSince = Long.MIN_VALUE;
      log.info("server {} election done: epoch {}, leader {}, this server {}; took {} ms ({} ticks, {} attempt{}),"
          + " votes seen from {}", serverId, e.epoch(), e.leader(), e.role(), TimeUnit.NANOSECONDS.toMillis(nanos),
          e.ticks(), e.attempts(), e.attempts() == 1 ? "" : "s", e.votesFrom());
      onEnded.accept(nanos);
    }
  }
}
