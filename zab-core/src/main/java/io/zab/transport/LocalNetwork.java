package io.zab.transport;

import io.zab.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import io.zab.wire.CodecException;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import java.nio.ByteBuffer;

/**
 * An in-JVM network of {@link LocalTransport}s, for tests and single-process demos, with fault controls.
 *
 * <p>Every pair of started transports shares one FIFO connection. A connection is lost when a test cuts it
 * ({@link #disconnect}, {@link #partition}, {@link #isolate}), when either end closes, or when one direction
 * has more than {@code linkCapacity} undelivered messages (overflow is treated as a connection loss, like a
 * TCP connection whose peer stopped reading; it then reconnects). A lost connection drops every message still
 * in flight on it and reports {@code disconnected} on both sides; a new connection reports {@code connected}.
 * Cut pairs stay down until {@link #heal()}.
 *
 * <pre>{@code
 * LocalNetwork net = LocalNetwork.create();
 * ZabNode n1 = ZabNode.builder().serverId(1).members(members).transport(net::transport) ... .build();
 * net.isolate(1);   // n1 loses every connection
 * net.heal();       // and gets them back
 * }</pre>
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class LocalNetwork {

  /** Default bound of undelivered messages per direction of a connection. */
  public static final int DEFAULT_LINK_CAPACITY = 100_000;

  private final int linkCapacity;
  private final int maxFrameBytes;
  private final UnaryOperator<Message> onTheWire;
  private final Object lock = new Object();

  // Guarded by lock.
  private final Map<Long, LocalTransport> endpoints = new HashMap<>();
  private final Set<Pair> cutPairs = new HashSet<>();
  private final Set<Long> isolated = new HashSet<>();
  private final List<Set<Long>> groups = new ArrayList<>();

  // Written under lock, read lock-free by senders.
  private final Map<Pair, LocalConnection> live = new ConcurrentHashMap<>();

  private LocalNetwork(int linkCapacity, int maxFrameBytes, UnaryOperator<Message> onTheWire) {
    if (linkCapacity < 1) {
      throw new IllegalArgumentException("linkCapacity must be positive, got " + linkCapacity);
    }
    this.linkCapacity = linkCapacity;
    this.maxFrameBytes = maxFrameBytes;
    this.onTheWire = Objects.requireNonNull(onTheWire, "onTheWire");
  }

  /** A network that passes messages by reference (they are immutable records). */
  public static LocalNetwork create() {
    return new LocalNetwork(DEFAULT_LINK_CAPACITY, MessageCodec.DEFAULT_MAX_FRAME_BYTES, UnaryOperator.identity());
  }

  /**
   * A network with a custom per-direction bound and a function applied to every message on the way, e.g. an
   * encode/decode round trip through the wire codec so tests exercise it.
   */
  public static LocalNetwork create(int linkCapacity, UnaryOperator<Message> onTheWire) {
    return new LocalNetwork(linkCapacity, MessageCodec.DEFAULT_MAX_FRAME_BYTES, onTheWire);
  }

  /**
   * A network that sends every message through the binary wire codec (encode, then decode a copy), so tests
   * exercise the same bytes a real transport would carry. A decode failure is a bug and throws.
   */
  public static LocalNetwork createWithCodec() {
    return createWithCodec(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  /** {@link #createWithCodec()} with frames of at most {@code maxFrameBytes} (what its transports report). */
  public static LocalNetwork createWithCodec(int maxFrameBytes) {
    MessageCodec codec = new MessageCodec(maxFrameBytes);
    return new LocalNetwork(DEFAULT_LINK_CAPACITY, maxFrameBytes, m -> {
      try {
        return codec.decode(ByteBuffer.wrap(codec.encode(m)));
      } catch (CodecException e) {
        throw new IllegalStateException("wire codec failed to round-trip " + m, e);
      }
    });
  }

  /** A transport for server {@code self}; usable as a {@link TransportFactory} ({@code net::transport}). */
  public Transport transport(long self, List<Member> members) {
    return new LocalTransport(this, self);
  }

  /** Cuts the connection between {@code a} and {@code b} (in-flight messages are lost) until {@link #heal()}. */
  public void disconnect(long a, long b) {
    synchronized (lock) {
      cutPairs.add(Pair.of(a, b));
      reconcile();
    }
  }

  /**
   * Splits the network: servers in different groups cannot talk; a server in no group talks to nobody.
   * Replaces any earlier partition. Lasts until {@link #heal()}.
   */
  @SafeVarargs
  public final void partition(Set<Long>... groupsOfIds) {
    synchronized (lock) {
      groups.clear();
      for (Set<Long> g : groupsOfIds) {
        groups.add(Set.copyOf(g));
      }
      reconcile();
    }
  }

  /** Cuts every connection of {@code id} until {@link #heal()}. */
  public void isolate(long id) {
    synchronized (lock) {
      isolated.add(id);
      reconcile();
    }
  }

  /** Removes every cut, partition and isolation; the affected pairs reconnect. */
  public void heal() {
    synchronized (lock) {
      cutPairs.clear();
      isolated.clear();
      groups.clear();
      reconcile();
    }
  }

  /** Whether {@code a} and {@code b} currently have a connection. */
  public boolean connected(long a, long b) {
    LocalConnection c = live.get(Pair.of(a, b));
    return c != null && c.isOpen();
  }

  int linkCapacity() {
    return linkCapacity;
  }

  int maxFrameBytes() {
    return maxFrameBytes;
  }

  Message onTheWire(Message m) {
    return onTheWire.apply(m);
  }

  LocalConnection connection(long a, long b) {
    return live.get(Pair.of(a, b));
  }

  void register(LocalTransport t) {
    synchronized (lock) {
      LocalTransport old = endpoints.putIfAbsent(t.self(), t);
      if (old != null && old != t) {
        throw new IllegalStateException("server " + t.self() + " already has a started transport on this network;"
            + " close it before starting another");
      }
      reconcile();
    }
  }

  void unregister(LocalTransport t) {
    synchronized (lock) {
      endpoints.remove(t.self(), t);
      reconcile();
    }
  }

  /** Overflow of one direction: drop the connection; reconcile opens a fresh one if the pair is not cut. */
  void reset(LocalConnection c) {
    synchronized (lock) {
      if (live.remove(c.pair(), c)) {
        c.close();
      }
      reconcile();
    }
  }

  private boolean allowed(long a, long b) {
    if (isolated.contains(a) || isolated.contains(b) || cutPairs.contains(Pair.of(a, b))) {
      return false;
    }
    if (groups.isEmpty()) {
      return true;
    }
    for (Set<Long> g : groups) {
      if (g.contains(a)) {
        return g.contains(b);
      }
    }
    return false;
  }

  /** Makes the set of live connections match the started endpoints and the cuts. Caller holds lock. */
  private void reconcile() {
    for (Map.Entry<Pair, LocalConnection> e : List.copyOf(live.entrySet())) {
      Pair p = e.getKey();
      if (endpoints.get(p.low()) != e.getValue().low() || endpoints.get(p.high()) != e.getValue().high()
          || !allowed(p.low(), p.high())) {
        live.remove(p);
        e.getValue().close();
      }
    }
    for (LocalTransport x : endpoints.values()) {
      for (LocalTransport y : endpoints.values()) {
        if (x.self() < y.self() && allowed(x.self(), y.self()) && !live.containsKey(Pair.of(x.self(), y.self()))) {
          LocalConnection c = new LocalConnection(x, y);
          live.put(c.pair(), c);
          c.open();
        }
      }
    }
  }

  /** An unordered pair of server ids, low first. */
  record Pair(long low, long high) {
    static Pair of(long a, long b) {
      return a < b ? new Pair(a, b) : new Pair(b, a);
    }
  }
}
