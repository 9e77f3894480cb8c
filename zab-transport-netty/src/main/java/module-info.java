/**
 * zab's production transport: {@link io.zab.transport.netty.NettyTransport} over TCP (TLS optional), with
 * framing, handshake and reconnect. Use it with {@code ZabNode.builder().transport(NettyTransport.factory(config))}.
 */
module io.zab.transport.netty {
  requires transitive io.zab.core;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires java.naming; // the peer certificate's subject name (PeerIdentity)
  requires org.slf4j;

  exports io.zab.transport.netty;
}
