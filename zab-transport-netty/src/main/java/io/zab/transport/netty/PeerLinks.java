package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection in use per peer, and the only place that reports connected / disconnected / received
 * to the {@link Transport.Inbound}.
 *
 * <p>Rule when a second authenticated connection to the same peer appears: if the two were initiated by
 * different servers, the one initiated by the larger server id wins; if by the same server, the newer one
 * wins (a server dials only when it has no usable connection, so it has given up on the older one). The
 * loser is closed. To spare the protocol a needless loss when two servers dial each other at once, a
 * connection from a smaller server id is also refused while this server's own dial to it is in progress
 * (that dial would win). A replaced connection is reported {@code disconnected} before its successor is reported
 * {@code connected}, and messages still arriving on it are dropped, so the core never sees two
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
  private volatile Transport.Inbound inbound;
  private volatile boolean closed;

  /**
   * @param self this server's id
   * @param peers every member but this server
   * @param onLost called (outside any lock) when the connection in use to a peer ends
   * @param dialing whether this server's own dial to a peer is in progress
   */
  PeerLinks(long self, Iterable<Long> peers, TransportStats stats, LongConsumer onLost, LongPredicate dialing) {
    this.self = self;
    this.dialing = dialing;
    this.links = java.util.stream.StreamSupport.stream(peers.spliterator(), false)
        .collect(Collectors.toUnmodifiableMap(id -> id, id -> new Link()));
    this.stats = stats;
    this.onLost = onLost;
  }

  void start(Transport.Inbound inbound) {
    this.inbound = inbound;
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
      inbound.connected(peer);
    }
    if (replaced != null) {
      log.info("server {}: connection {} (initiated by {}) replaces {}", peer, channel.remoteAddress(), initiator,
          replaced.remoteAddress());
      replaced.close();
    } else {
      log.info("server {}: connected via {} (initiated by server {})", peer, channel.remoteAddress(), initiator);
    }
  }

  /** Delivers {@code message} if {@code channel} is the connection in use to its peer; drops it otherwise. */
  void deliver(Channel channel, Message message) {
    Long peer = channel.attr(PEER).get();
    Link link = links.get(peer);
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
    synchronized (link) {
      if (link.channel != channel) {
        return;
      }
      link.channel = null;
      if (!closed) {
        inbound.disconnected(peer);
      }
    }
    log.info("server {}: connection {} lost", peer, channel.remoteAddress());
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
  }
}
