package io.zab.transport;

import io.zab.Member;
import java.util.List;

/**
 * Creates the transport for one server. Passed to {@code ZabNode.builder().transport(...)}.
 *
 * <pre>{@code
 * TransportFactory factory = LocalNetwork.create()::transport;   // in-JVM, for tests
 * TransportFactory netty = NettyTransport.factory(config);       // real network
 * }</pre>
 */
@FunctionalInterface
public interface TransportFactory {
  /**
   * Creates one server's transport; the node starts it.
   *
   * @param self the id of the server that will own the transport
   * @param members every member of the ensemble, {@code self} included
   * @return a transport, not started
   */
  Transport create(long self, List<Member> members);
}
