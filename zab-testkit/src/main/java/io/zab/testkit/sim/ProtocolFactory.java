package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;

/**
 * Builds the protocol core of server {@code self} from what its simulated disk holds (on start and restart);
 * {@code initial} is the configuration it is given (as a builder's members and observers are).
 */
@FunctionalInterface
public interface ProtocolFactory {
  ProtocolNode create(long self, ClusterConfiguration initial, DurableState durable);
}
