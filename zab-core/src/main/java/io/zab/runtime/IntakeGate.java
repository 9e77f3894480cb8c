package io.zab.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission at the edge of one server, so that nothing inside ever has to wait: while the protocol thread's
 * inbox is full, or the log or the state machine is too far behind, client submits are refused (OVERLOADED)
 * and the transport is asked to stop reading; it resumes once everything is back under its bound. The
 * protocol thread itself never waits for any of them: it keeps handling ticks and what it already holds.
 *
 * <p>Thread-safe. {@link #recheck()} must be called after anything that can lower a backlog (a drain of the
 * inbox, an fsync, an apply batch); it costs one volatile read while nobody waits.
 */
final class IntakeGate {
  private static final Logger log = LoggerFactory.getLogger(IntakeGate.class);
  private static final long PAUSE_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final long serverId;
  private final EventQueue inbox;
  private final LongSupplier applyBacklogTxns;
  private final long maxApplyBacklogTxns;
  private final LongSupplier applyBacklogBytes;
  private final long maxApplyBacklogBytes;
  private final LongSupplier logBacklogBytes;
  private final long maxLogBacklogBytes;
  private final List<Runnable> waiting = new ArrayList<>(); // guarded by this
  private volatile boolean anyWaiting;
  private final LogThrottle pauseLog = new LogThrottle(PAUSE_LOG_INTERVAL_NANOS, System::nanoTime);

  IntakeGate(long serverId, EventQueue inbox, LongSupplier applyBacklogTxns, long maxApplyBacklogTxns,
      LongSupplier applyBacklogBytes, long maxApplyBacklogBytes, LongSupplier logBacklogBytes,
      long maxLogBacklogBytes) {
    this.serverId = serverId;
    this.inbox = inbox;
    this.applyBacklogTxns = applyBacklogTxns;
    this.maxApplyBacklogTxns = maxApplyBacklogTxns;
    this.applyBacklogBytes = applyBacklogBytes;
    this.maxApplyBacklogBytes = maxApplyBacklogBytes;
    this.logBacklogBytes = logBacklogBytes;
    this.maxLogBacklogBytes = maxLogBacklogBytes;
  }

  /**
   * Why this server takes no new client writes now (a part behind it is over its bound), or null. A submit
   * refused for it fails with {@code OverloadedException}: nothing was proposed.
   */
  String refusal() {
    long applyTxns = applyBacklogTxns.getAsLong();
    if (applyTxns >= maxApplyBacklogTxns) {
      return "the state machine of server " + serverId + " is " + applyTxns + " committed txns behind"
          + " (maxOutstanding=" + maxApplyBacklogTxns + ")";
    }
    return backlogged();
  }

  /** Why this server must stop taking in anything (the memory held for its disk or state machine), or null. */
  private String backlogged() {
    long applyBytes = applyBacklogBytes.getAsLong();
    if (applyBytes > maxApplyBacklogBytes) {
      return "the state machine of server " + serverId + " is " + applyBytes + " bytes of committed txns behind"
          + " (maxApplyBacklogBytes=" + maxApplyBacklogBytes + ")";
    }
    long logBytes = logBacklogBytes.getAsLong();
    if (logBytes > maxLogBacklogBytes) {
      return "the disk of server " + serverId + " is " + logBytes + " bytes of log writes behind (bound "
          + maxLogBacklogBytes + ")";
    }
    return null;
  }

  /** Whether the transport may hand over more messages now. */
  boolean open() {
    return !inbox.full() && backlogged() == null;
  }

  /**
   * Runs {@code resume} once the gate is open: at once if it is open now, else on the thread whose
   * {@link #recheck()} finds it open. Called by a transport that has stopped reading.
   */
  void whenOpen(Runnable resume) {
    synchronized (this) {
      waiting.add(resume);
      anyWaiting = true; // written before the backlogs are read again below, so no reopening is missed
    }
    String why = backlogged();
    if (why != null) {
      long skipped = pauseLog.tryLog();
      if (skipped >= 0) {
        log.warn("server {}: reading from the network paused until it catches up: {} ({} more pauses not logged)",
            serverId, why, skipped);
      }
    }
    recheck();
  }

  /** Resumes the paused transport reads if the gate is open. Any thread. */
  void recheck() {
    if (!anyWaiting) {
      return;
    }
    List<Runnable> resume;
    synchronized (this) {
      if (waiting.isEmpty() || !open()) {
        return;
      }
      resume = List.copyOf(waiting);
      waiting.clear();
      anyWaiting = false;
    }
    resume.forEach(Runnable::run);
  }
}
