/**
 * zab's test kit: the deterministic cluster simulator ({@link io.zab.testkit.SimCluster}), real nodes in one JVM
 * ({@link io.zab.testkit.NodeCluster}), the {@code @ZabTest} JUnit 5 extension, assertions, timelines and the
 * invariant and linearizability checkers.
 *
 * <p>The simulator's protocol-level hooks in {@code io.zab.testkit.sim} ({@code ProtocolNode},
 * {@code PeerProtocol.factory(Timing)}, {@code Trace}) name types of zab-core's internal protocol package, which
 * zab-core exports to this module only: code on the class path can use them, a named module cannot. Everything
 * else ({@code SimCluster}, {@code NodeCluster}, {@code @ZabTest}, the checkers) uses the public API only.
 */
module io.zab.testkit {
  requires transitive io.zab.core;
  // Optional, as in the pom: NodeCluster over Netty, the JUnit extension (whose API names JUnit's types) and the
  // AssertJ assertions.
  requires static io.zab.transport.netty;
  requires static transitive org.junit.jupiter.api;
  requires static org.junit.platform.commons;
  requires static transitive org.assertj.core;

  exports io.zab.testkit;
  exports io.zab.testkit.junit;
  exports io.zab.testkit.lin;
  exports io.zab.testkit.sim;
  exports io.zab.testkit.timeline;
}
