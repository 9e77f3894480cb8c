package io.zab.runtime;

import io.zab.ZabListener;
import io.zab.ZabListener.RoleChange;
import io.zab.protocol.Action.RoleChanged;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs role changes at INFO (S1) and tells the registered listeners, in order, on the {@link Callbacks}
 * executor: a listener never runs on the thread that reports (the protocol thread, or the log or apply thread
 * on a fatal error).
 */
final class RoleReporter {
  private static final Logger log = LoggerFactory.getLogger(RoleReporter.class);

  private final long serverId;
  private final Callbacks callbacks;
  private final CopyOnWriteArrayList<ZabListener> listeners = new CopyOnWriteArrayList<>();
  private final LogThrottle threwLog = new LogThrottle(LogThrottle.ONE_SECOND, System::nanoTime);

  RoleReporter(long serverId, Callbacks callbacks) {
    this.serverId = serverId;
    this.callbacks = callbacks;
  }

  void add(ZabListener l) {
    listeners.add(l);
  }

  /** The registered listeners (also told of configuration changes, {@link ConfigurationReporter}). */
  java.util.List<ZabListener> listeners() {
    return listeners;
  }

  void report(RoleChanged r) {
    log.info("server {} role {} epoch={} zxid={} leader={}", serverId, r.role(), r.epoch(), r.lastZxid(), r.leader());
    RoleChange event = new RoleChange(serverId, r.role(), Leaders.of(r.leader()), r.epoch(), r.lastZxid());
    for (ZabListener l : listeners) {
      callbacks.execute(() -> {
        try {
          l.roleChanged(event);
        } catch (RuntimeException e) {
          long skipped = threwLog.tryLog();
          if (skipped >= 0) {
            log.warn("server {}: a ZabListener threw on {} ({} more not logged)", serverId, event, skipped, e);
          }
        }
      });
    }
  }
}
