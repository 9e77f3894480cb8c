package io.zab.examples.server;

import io.zab.Role;
import io.zab.examples.kv.Command;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives session expiry through the log (S9): while this node leads and sessions exist, each {@link #tick}
 * proposes a {@code Tick} txn carrying this process's monotonic clock. Expiry is then decided by the state
 * machine from txn contents only, so every replica expires the same sessions at the same zxid.
 */
final class SessionClock {
  private static final Logger log = LoggerFactory.getLogger(SessionClock.class);

  private final KvService service;
  private final LongSupplier monotonicMillis;
  private final long maxAdvanceMillis;
  private volatile boolean inFlight;

  /**
   * @param maxAdvanceMillis the most one tick may advance the session clock: if this leader stalls (a long
   *     GC pause), sessions get extra time instead of all expiring at once
   */
  SessionClock(KvService service, LongSupplier monotonicMillis, long maxAdvanceMillis) {
    this.service = service;
    this.monotonicMillis = monotonicMillis;
    this.maxAdvanceMillis = maxAdvanceMillis;
  }

  void tick() {
    if (inFlight || service.log().role() != Role.LEADING || service.stateMachine().sessionCount() == 0) {
      return;
    }
    inFlight = true;
    service.execute(new Command.Tick(service.processTag(), monotonicMillis.getAsLong(), maxAdvanceMillis))
        .whenComplete((o, e) -> {
          inFlight = false;
          if (e != null) {
            log.debug("session clock tick failed: {}", e.toString());
          }
        });
  }
}
