package io.zab.testkit.sim;

import java.util.Set;

/** Builds the protocol core of server {@code self} from what its simulated disk holds (on start and restart). */
@FunctionalInterface
public interface ProtocolFactory {
  ProtocolNode create(long self, Set<Long> voters, DurableState durable);
}
