package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.zab.runtime.LogThrottle;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection in use per peer, and the only place that reports connected / disconnected / received
 * to the {@link Transport.Inbound}.
 *
 * <p>Rule when a second authenticated connection to the same peer appears: a <b>healthy</b> connection in use
 * is never displaced. Healthy means open, proven (something was received on it after it was put in use) and
 * alive (something was received within half the idle timeout; keepalives see to that on a live one), or paused
 * by our own backpressure. The newcomer is refused and logged at WARN with its address: in plaintext anyone
 * who reaches the port can claim a member's id, and a newcomer that displaced the real peer's connection
 * could force elections at will. A peer that really restarted gets in all the same: its old connection closes
 * (the process died) or falls silent (the host died), and is then no longer healthy.
 *
 * <p>Otherwise (the connection in use is new, as when two servers dial each other at once, or silent): if the
 * two were initiated by different servers, the one initiated by the larger server id wins; if by the same
 * server, the newer one wins (a server dials only when it has no usable connection, so it has given up on the
 * older one). The loser is closed. To spare the protocol a needless loss when two servers dial each other at
 * once, a connection from a smaller server id is also refused while this server's own dial to it is in
 * progress (that dial would win). A replaced connection is reported {@code disconnected} before its successor
 * is reported {@code connected}, and messages still arriving on it are dropped, so the core never sees two
 * connections to one peer interleave.
 */
final class PeerLinks {
  /** The authenticated server id of a connection, set by the handshake. */
  static final AttributeKey<Long> PEER = AttributeKey.valueOf("zab.peer");
  private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);

  private final long self;
  private final Map<Long, Link> links;
  private final TransportStats stats;
  private final LongConsumer onLost;
  private final LongPredicate dialing;
  private final long silenceNanos;
  private final LongSupplier clock;
  /** The connected / replaced / lost lines, per peer: a connection that flaps logs at most once a second. */
  private final LogThrottles linkLog = new LogThrottles(LogThrottle.ONE_SECOND, System::nanoTime);
  private volatile Transport.Inbound inbound;
  private volatile boolean closed;

  /**
   * @param self this server's id
   * @param peers every member but this server
   * @param onLost called (outside any lock) when the connection in use to a peer ends
   * @param dialing whether this server's own dial to a peer is in progress
   * @param silence how long a connection in use may receive nothing and still count as alive
   * @param clock nanoseconds, the same the connections' {@link ReadClock}s use
   */
  PeerLinks(long self, Iterable<Long> peers, TransportStats stats, LongConsumer onLost, LongPredicate dialing,
      Duration silence, LongSupplier clock) {
    this.self = self;
    this.dialing = dialing;
    this.silenceNanos = silence.toNanos();
    this.clock = clock;
    this.links = new java.util.concurrent.ConcurrentHashMap<>();
    peers.forEach(id -> links.put(id, new Link()));
    this.stats = stats;
    this.onLost = onLost;
  }

  void start(Transport.Inbound inbound) {
    this.inbound = inbound;
  }

  /** Whether the receiver takes more messages now (backpressure, see {@link PeerDispatcher}). */
  boolean hasRoom() {
    Transport.Inbound in = inbound;
    return in == null || closed || in.hasRoom();
  }

  /** Runs {@code resume} once the receiver has room again (at once if it has, or once this is closed). */
  void whenRoom(Runnable resume) {
    Transport.Inbound in = inbound;
    if (in == null || closed) {
      resume.run();
    } else {
      in.whenRoom(resume);
    }
  }

  /** {@code peer} became a member (a configuration change): it may connect from now on. */
  void add(long peer) {
    links.putIfAbsent(peer, new Link());
  }

  /**
   * {@code peer} is no longer a member: its connection in use, if any, is reported lost and closed, and whatever
   * still arrives on it is dropped.
   */
  void remove(long peer) {
    Link link = links.remove(peer);
    if (link == null) {
      return;
    }
    Channel ch;
    synchronized (link) {
      ch = link.channel;
      link.channel = null;
      if (ch != null && !closed) {
        inbound.disconnected(peer);
      }
    }
    if (ch != null) {
      ch.close();
    }
  }

  /** The connection in use to {@code peer}, or null. */
  Channel active(long peer) {
    Link link = links.get(peer);
    return link == null ? null : link.channel;
  }

  /**
   * Makes {@code channel} the connection in use to {@code peer}, or throws {@link PeerProtocolException}
   * if the existing one wins.
   */
  void activate(long peer, Channel channel, long initiator) {
    Link link = links.get(peer);
    if (link == null) {
      throw new PeerProtocolException("server " + peer + " is no longer a member");
    }
    Channel replaced = null;
    synchronized (link) {
      if (closed) {
        throw new PeerProtocolException("transport is closed");
      }
      if (initiator == peer && peer < self && dialing.test(peer)) {
        throw new DuplicateConnectionException("duplicate connection for server " + peer + ": this server's own "
            + "dial to it is in progress and wins (the larger initiator wins)");
      }
      if (link.channel != null) {
        refuseIfHealthy(peer, link, channel);
        if (link.channel.isActive() && initiator < link.initiator) {
          throw new DuplicateConnectionException("duplicate connection for server " + peer + ": keeping the one from "
              + link.channel.remoteAddress() + " initiated by server " + link.initiator
              + " (the larger initiator wins)");
        }
        replaced = link.channel;
        link.channel = null;
        inbound.disconnected(peer);
      }
      link.channel = channel;
      link.initiator = initiator;
      link.activatedAt = clock.getAsLong();
      inbound.connected(peer);
    }
    long skipped = linkLog.tryLog("up " + peer);
    if (replaced != null) {
      if (skipped >= 0) {
        log.info("server {}: connection {} (initiated by {}) replaces {} ({} more connection changes not logged)", peer,
            channel.remoteAddress(), initiator, replaced.remoteAddress(), skipped);
      }
      replaced.close();
    } else if (skipped >= 0) {
      log.info("server {}: connected via {} (initiated by server {}; {} more connection changes not logged)", peer,
          channel.remoteAddress(), initiator, skipped);
    }
  }

  /** Throws if the connection in use of {@code link} is healthy (see the class comment). Under the link's lock. */
  private void refuseIfHealthy(long peer, Link link, Channel newcomer) {
    Channel current = link.channel;
    Long lastRead = ReadClock.lastRead(current);
    if (lastRead == null || !current.isActive()) {
      return;
    }
    long silentFor = clock.getAsLong() - lastRead;
    boolean proven = lastRead - link.activatedAt > 0;
    boolean paused = !current.config().isAutoRead();
    if (paused || (proven && silentFor < silenceNanos)) {
      throw new DisplacementRefusedException("refusing a new connection claiming to be server " + peer
          + ": the connection in use to it (from " + current.remoteAddress() + ", initiated by server "
          + link.initiator + ") is healthy, last heard from " + TimeUnit.NANOSECONDS.toMillis(silentFor)
          + " ms ago. If server " + peer + " really restarted, it gets in once that connection closes or stays"
          + " silent for " + TimeUnit.NANOSECONDS.toMillis(silenceNanos) + " ms; otherwise something else at "
          + newcomer.remoteAddress() + " claims its id (use TLS)");
    }
  }

  /** Delivers {@code message} if {@code channel} is the connection in use to its peer; drops it otherwise. */
  void deliver(Channel channel, Message message) {
    Long peer = channel.attr(PEER).get();
    Link link = links.get(peer);
    if (link == null) {
      return; // no longer a member
    }
    synchronized (link) {
      if (link.channel == channel && !closed) {
        stats.messageReceived();
        inbound.received(peer, message);
      }
    }
  }

  /** Called when any authenticated or unauthenticated connection ends. */
  void channelClosed(Channel channel) {
    Long peer = channel.attr(PEER).get();
    if (peer == null) {
      return;
    }
    Link link = links.get(peer);
    if (link == null) {
      return; // no longer a member: reported when it was removed
    }
    synchronized (link) {
      if (link.channel != channel) {
        return;
      }
      link.channel = null;
      if (!closed) {
        inbound.disconnected(peer);
      }
    }
    stats.connectionLost();
    long skipped = linkLog.tryLog("lost " + peer);
    if (skipped >= 0) {
      log.info("server {}: connection {} lost ({} more losses not logged)", peer, channel.remoteAddress(), skipped);
    }
    onLost.accept(peer);
  }

  /** From now on nothing is reported to the inbound. */
  void close() {
    closed = true;
    for (Link link : links.values()) {
      synchronized (link) {
        link.channel = null;
      }
    }
  }

  private static final class Link {
    volatile Channel channel;
    long initiator;
    long activatedAt;
  }
}
