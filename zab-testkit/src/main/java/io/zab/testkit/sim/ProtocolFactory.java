package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;

/**
 * Builds the protocol core of server {@code self} from what its simulated disk holds (on start and restart);
 * {@code initial} is the configuration it is given (as a builder's members and observers are).
 */
@FunctionalInterface
public interface ProtocolFactory {
  /**
   * Builds one server's core.
   *
   * @param self the server's id
   * @param initial the configuration it is given
   * @param durable what its disk holds
   * @return the core, not started yet
   */
  ProtocolNode create(long self, ClusterConfiguration initial, DurableState durable);
}
