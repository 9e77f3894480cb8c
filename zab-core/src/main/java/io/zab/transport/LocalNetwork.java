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
 * has more than {@code linkCapacity} undelivered messages or more than {@code maxPendingBytes} undelivered bytes
 * (overflow is treated as a connection loss, as {@code NettyTransport} closes a connection whose peer stopped
 * reading; it then reconnects; {@link #overflows()} counts these). The byte bounds default to Netty's: a peer is
 * writable below 4 MiB queued, and the hard bound is 4 MiB plus two frames. A lost connection drops every message
 * still in flight on it and reports {@code disconnected} on both sides; a new connection reports {@code connected}.
 * Cut pairs stay down until {@link #heal()}. {@link #hold} makes a receiver stop reading one peer's messages.
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
  /** A peer stops being writable past this many undelivered bytes (NettyConfig's default high water mark). */
  public static final int DEFAULT_WRITE_BUFFER_HIGH_BYTES = 4 << 20;

  private final int linkCapacity;
  private final int maxFrameBytes;
  private final UnaryOperator<Message> onTheWire;
  private final Object lock = new Object();
  private final java.util.concurrent.atomic.AtomicLong overflows = new java.util.concurrent.atomic.AtomicLong();

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

  /**
   * A network that passes messages by reference (they are immutable records).
   *
   * @return a new network
   */
  public static LocalNetwork create() {
    return new LocalNetwork(DEFAULT_LINK_CAPACITY, MessageCodec.DEFAULT_MAX_FRAME_BYTES, UnaryOperator.identity());
  }

  /**
   * A network with a custom per-direction bound and a function applied to every message on the way, e.g. an
   * encode/decode round trip through the wire codec so tests exercise it.
   *
   * @param linkCapacity the most undelivered messages per direction of a connection
   * @param onTheWire applied to every message sent
   * @return a new network
   */
  public static LocalNetwork create(int linkCapacity, UnaryOperator<Message> onTheWire) {
    return new LocalNetwork(linkCapacity, MessageCodec.DEFAULT_MAX_FRAME_BYTES, onTheWire);
  }

  /**
   * A network that sends every message through the binary wire codec (encode, then decode a copy), so tests
   * exercise the same bytes a real transport would carry. A decode failure is a bug and throws.
   *
   * @return a new network
   */
  public static LocalNetwork createWithCodec() {
    return createWithCodec(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  /**
   * {@link #createWithCodec()} with frames of at most {@code maxFrameBytes} (what its transports report).
   *
   * @param maxFrameBytes the largest body
   * @return a new network
   */
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

  /**
   * A transport for server {@code self}; usable as a {@link TransportFactory} ({@code net::transport}). Two servers
   * are connected only while each lists the other among its members (as a real transport dials only members and
   * refuses others): see {@link Transport#updateMembers}.
   *
   * @param self the server's id
   * @param members the members this server lists (the initial configuration)
   * @return a transport, not started
   */
  public Transport transport(long self, List<Member> members) {
    return new LocalTransport(this, self, members);
  }

  /**
   * Cuts the connection between {@code a} and {@code b} (in-flight messages are lost) until {@link #heal()}.
   *
   * @param a a server
   * @param b another
   */
  public void disconnect(long a, long b) {
    synchronized (lock) {
      cutPairs.add(Pair.of(a, b));
      reconcile();
    }
  }

  /**
   * Splits the network: servers in different groups cannot talk; a server in no group talks to nobody.
   * Replaces any earlier partition. Lasts until {@link #heal()}.
   *
   * @param groupsOfIds the groups that can talk among themselves
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

  /**
   * Cuts every connection of {@code id} until {@link #heal()}.
   *
   * @param id the server to cut off
   */
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

  /**
   * Whether {@code a} and {@code b} currently have a connection.
   *
   * @param a a server
   * @param b another
   * @return true if connected now
   */
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

  int writeBufferHighBytes() {
    return DEFAULT_WRITE_BUFFER_HIGH_BYTES;
  }

  /** The hard bound of undelivered bytes per direction, as NettyConfig's default: the high mark plus two frames. */
  long maxPendingBytes() {
    return DEFAULT_WRITE_BUFFER_HIGH_BYTES + 2L * maxFrameBytes;
  }

  /**
   * How many connections were closed because a direction passed its bound (its receiver did not read).
   *
   * @return the count since the network was made
   */
  public long overflows() {
    return overflows.get();
  }

  /**
   * Server {@code to} stops reading what {@code from} sends (a stalled process, a full socket): those messages wait,
   * counting against the bounds, until {@link #release}. The connection must be up.
   *
   * @param from the sender
   * @param to the receiver that stops reading
   */
  public void hold(long from, long to) {
    LocalConnection c = live.get(Pair.of(from, to));
    if (c == null) {
      throw new IllegalStateException("no connection between " + from + " and " + to + " to hold");
    }
    c.hold(from);
  }

  /**
   * Delivers what {@link #hold} kept from {@code from} to {@code to}, in order, and stops holding.
   *
   * @param from the sender
   * @param to the receiver that reads again
   */
  public void release(long from, long to) {
    LocalConnection c = live.get(Pair.of(from, to));
    if (c != null) {
      c.release(from);
    }
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
  void overflowed(LocalConnection c) {
    overflows.incrementAndGet();
    synchronized (lock) {
      if (live.remove(c.pair(), c)) {
        c.close();
      }
      reconcile();
    }
  }

  /** A transport's members changed: connections follow. */
  void membersChanged() {
    synchronized (lock) {
      reconcile();
    }
  }

  private boolean allowed(long a, long b) {
    if (isolated.contains(a) || isolated.contains(b) || cutPairs.contains(Pair.of(a, b))) {
      return false;
    }
    LocalTransport ta = endpoints.get(a);
    LocalTransport tb = endpoints.get(b);
    if (ta != null && tb != null && !(ta.knows(b) && tb.knows(a))) {
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
