package io.zab.testkit;

import io.zab.Member;
import io.zab.transport.TransportFactory;
import io.zab.transport.netty.NettyConfig;
import io.zab.transport.netty.NettyTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code NettyTransport} on loopback, on ports free when the cluster was built. Only loaded when a test asks
 * for Netty, so zab-transport-netty is an optional dependency of the test kit.
 */
final class NettyLinks implements NodeLinks {
  static final String NETTY_CLASS = "io.zab.transport.netty.NettyTransport";

  private final List<Member> members;
  private final TransportFactory factory;

  private NettyLinks(int servers) {
    this.members = freePorts(servers);
    this.factory = NettyTransport.factory(NettyConfig.builder("zab-testkit")
        .handshakeTimeout(Duration.ofSeconds(2))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .build());
  }

  /** Fails with a message saying what to add when zab-transport-netty is not on the classpath. */
  static NodeLinks create(int servers) {
    try {
      Class.forName(NETTY_CLASS, false, NettyLinks.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("NodeCluster over Netty needs io.zab:zab-transport-netty on the test"
          + " classpath (the test kit depends on it optionally); add it, or use the in-JVM network (the default)", e);
    }
    return new NettyLinks(servers);
  }

  private static List<Member> freePorts(int servers) {
    List<Member> members = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int id = 1; id <= servers; id++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        members.add(new Member(id, "127.0.0.1", s.getLocalPort()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the cluster's servers", e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is free again either way
        }
      }
    }
    return List.copyOf(members);
  }

  @Override
  public List<Member> members() {
    return members;
  }

  @Override
  public Member newMember(long id) {
    try (ServerSocket s = new ServerSocket(0)) {
      return new Member(id, "127.0.0.1", s.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for server " + id, e);
    }
  }

  @Override
  public TransportFactory transport() {
    return factory;
  }

  @Override
  public boolean faults() {
    return false;
  }

  @Override
  public void cut(long a, long b) {
    throw new UnsupportedOperationException("partitions need the in-JVM network (NodeCluster's default); over"
        + " Netty a cluster can stop and restart servers, not cut links");
  }

  @Override
  public void heal() {
    // nothing can be cut over Netty, so there is nothing to heal
  }

  @Override
  public boolean connected(long a, long b) {
    return true;
  }

  @Override
  public String name() {
    return "Netty on loopback";
  }
}
