package io.zab.runtime;

import io.zab.Role;
import io.zab.StatusListener;
import io.zab.ZabStatus;
import io.zab.Zxid;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's {@link ZabStatus} is published: the protocol thread rebuilds it after a batch at most once per
 * tick, and at once when the role, leader, epoch or establishment changed, and publishes it with one volatile
 * write; any thread reads the latest. Every status period it also hands the latest to the {@link StatusListener}s
 * on the callback executor (skipping a period while the previous report is still queued).
 */
final class StatusBoard {
  private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);

  private final long serverId;
  private final Callbacks callbacks;
  private final LongSupplier clock;
  private final long refreshNanos;
  private final long periodNanos;
  private final CopyOnWriteArrayList<StatusListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean reportQueued = new AtomicBoolean();
  private final LogThrottle threwLog = new LogThrottle(LogThrottle.ONE_SECOND, System::nanoTime);
  private volatile ZabStatus latest;
  // protocol thread only
  private long builtAt;
  private long reportedAt;

  /**
   * @param refresh the longest a published status may be older than the node's state (one tick)
   * @param period how often listeners get it
   * @param clock nanoseconds, e.g. {@code System::nanoTime}
   */
  StatusBoard(long serverId, Duration refresh, Duration period, Callbacks callbacks, LongSupplier clock,
      Clock wallClock) {
    this.serverId = serverId;
    this.callbacks = callbacks;
    this.clock = clock;
    this.refreshNanos = refresh.toNanos();
    this.periodNanos = period.toNanos();
    this.latest = idle(wallClock, Role.LOOKING, 0, Zxid.ZERO, Zxid.ZERO, Zxid.ZERO);
    long now = clock.getAsLong();
    this.builtAt = now - refreshNanos;
    this.reportedAt = now;
  }

  /** The latest status. Any thread. */
  ZabStatus latest() {
    return latest;
  }

  void add(StatusListener l) {
    listeners.add(l);
  }

  /** After a batch of the protocol thread: rebuilds if due or if the role changed; reports if a period is over. */
  void afterBatch(StatusBuilder builder) {
    long t = clock.getAsLong();
    if (t - builtAt >= refreshNanos || builder.roleChangedSince(latest)) {
      latest = builder.build();
      builtAt = t;
    }
    if (t - reportedAt >= periodNanos) {
      reportedAt = t;
      report();
    }
  }

  /** The node stopped (closed, or after a fatal error): LOOKING from now on, nothing in progress. Any thread. */
  void stopped(NodeStatus s, Zxid applied, Clock wallClock) {
    latest = idle(wallClock, Role.LOOKING, s.epoch(), s.lastZxid(), s.committedZxid(), applied);
  }

  private ZabStatus idle(Clock wallClock, Role role, long epoch, Zxid last, Zxid committed, Zxid applied) {
    return new ZabStatus(serverId, wallClock.instant(), role, false, epoch, OptionalLong.empty(), last, committed,
        applied, 0, 0, 0, List.of(), List.of(), Optional.empty());
  }

  private void report() {
    if (listeners.isEmpty() || !reportQueued.compareAndSet(false, true)) {
      return;
    }
    callbacks.execute(() -> {
      reportQueued.set(false);
      ZabStatus s = latest;
      for (StatusListener l : listeners) {
        try {
          l.status(s);
        } catch (RuntimeException e) {
          long skipped = threwLog.tryLog();
          if (skipped >= 0) {
            log.warn("server {}: a StatusListener threw ({} more not logged)", serverId, skipped, e);
          }
        }
      }
    });
  }
}
