package io.zab.runtime;

import io.zab.ClusterConfiguration;
import io.zab.ZabListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed cluster configuration as clients see it ({@code ZabNode.configuration()}): published by the protocol
 * thread when the core announces a newer one, logged at INFO and told to the listeners on the {@link Callbacks}
 * executor. Keeps the last few by version, so that a reconfiguration's future completes with the configuration its
 * change made. Thread-safe.
 */
final class ConfigurationReporter {
  private static final Logger log = LoggerFactory.getLogger(ConfigurationReporter.class);
  private static final int RECENT = 16;

  private final long serverId;
  private final Callbacks callbacks;
  private final RoleReporter listeners;
  private volatile ClusterConfiguration current;
  private final Map<Long, ClusterConfiguration> recent = new LinkedHashMap<>(RECENT, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, ClusterConfiguration> eldest) {
      return size() > RECENT;
    }
  };

  ConfigurationReporter(long serverId, ClusterConfiguration initial, Callbacks callbacks, RoleReporter listeners) {
    this.serverId = serverId;
    this.callbacks = callbacks;
    this.listeners = listeners;
    this.current = initial;
    recent.put(initial.version(), initial);
  }

  ClusterConfiguration current() {
    return current;
  }

  /** Protocol thread: the core committed {@code c}. */
  void committed(ClusterConfiguration c) {
    synchronized (recent) {
      recent.put(c.version(), c);
    }
    current = c;
    log.info("server {}: {} is committed", serverId, c);
    for (ZabListener l : listeners.listeners()) {
      callbacks.execute(() -> {
        try {
          l.configurationChanged(c);
        } catch (RuntimeException e) {
          log.warn("server {}: a ZabListener threw on {}", serverId, c, e);
        }
      });
    }
  }

  /** The configuration of version {@code version} if it is one of the last few, else the current one. */
  ClusterConfiguration atVersion(long version) {
    synchronized (recent) {
      ClusterConfiguration c = recent.get(version);
      return c != null ? c : current;
    }
  }
}
