package io.zab.transport.netty;

import io.zab.Member;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** Transports of an ensemble on loopback with free ports; servers can be started, stopped and restarted. */
final class TestCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  final List<Member> members;
  private final LongFunction<NettyConfig> configs;
  private final Map<Long, NettyTransport> transports = new HashMap<>();
  private final Map<Long, RecordingInbound> inbounds = new HashMap<>();
  private final Map<Long, RejectionLog> rejections = new HashMap<>();

  TestCluster(int size, LongFunction<NettyConfig> configs) throws IOException {
    this.members = members(size);
    this.configs = configs;
  }

  static List<Member> members(int size) throws IOException {
    List<Member> members = new ArrayList<>();
    List<ServerSocket> holders = new ArrayList<>();
    try {
      for (int id = 1; id <= size; id++) {
        ServerSocket s = new ServerSocket(0);
        holders.add(s);
        members.add(new Member(id, "127.0.0.1", s.getLocalPort()));
      }
    } finally {
      for (ServerSocket s : holders) {
        s.close();
      }
    }
    return List.copyOf(members);
  }

  static NettyConfig.Builder fastConfig() {
    return NettyConfig.builder("test-cluster")
        .handshakeTimeout(Duration.ofSeconds(2))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  TestCluster start(long... ids) {
    for (long id : ids) {
      NettyTransport t = (NettyTransport) NettyTransport.factory(configs.apply(id)).create(id, members);
      RecordingInbound inbound = new RecordingInbound();
      RejectionLog log = new RejectionLog();
      t.observeRejections(log);
      t.start(inbound);
      transports.put(id, t);
      inbounds.put(id, inbound);
      rejections.put(id, log);
    }
    return this;
  }

  void stop(long id) {
    transports.remove(id).close();
  }

  NettyTransport transport(long id) {
    return transports.get(id);
  }

  RecordingInbound inbound(long id) {
    return inbounds.get(id);
  }

  RejectionLog rejections(long id) {
    return rejections.get(id);
  }

  InetSocketAddress address(long id) {
    Member m = members.get((int) id - 1);
    return new InetSocketAddress(m.host(), m.port());
  }

  /** Waits until every pair among {@code ids} reports connected both ways. */
  void awaitConnected(long... ids) throws InterruptedException {
    for (long a : ids) {
      for (long b : ids) {
        if (a != b) {
          inbound(a).awaitConnected(b, WAIT);
        }
      }
    }
  }

  @Override
  public void close() {
    transports.values().forEach(NettyTransport::close);
    transports.clear();
  }
}
