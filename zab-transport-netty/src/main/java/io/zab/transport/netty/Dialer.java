package io.zab.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.zab.Member;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import io.zab.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dialing one peer while there is no connection in use to it: at most one outgoing attempt at a time,
 * retried with {@link Backoff} after failures, immediately after a connection in use is lost. A peer that stays
 * unreachable is logged once at INFO and then at most every {@link #FAILURE_LOG_INTERVAL_NANOS}, with the number of
 * failed attempts left out; every attempt after the first counts as a reconnect.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);
  /** A peer that stays down is logged at most this often (the backoff alone still allows one line per 2 s). */
  static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final long self;
  private final Member peer;
  private final Bootstrap bootstrap;
  private final Backoff backoff;
  private final LongPredicate connected;
  private final TransportStats stats;
  private final LogThrottle failureLog = new LogThrottle(FAILURE_LOG_INTERVAL_NANOS, System::nanoTime);
  private boolean dialedBefore;
  private boolean dialing;
  private boolean scheduled;
  private boolean stopped;
  private int failures;

  /**
   * @param self this server's id
   * @param connected whether a connection in use to a peer exists
   */
  Dialer(long self, Member peer, Bootstrap bootstrap, Backoff backoff, LongPredicate connected, TransportStats stats) {
    this.self = self;
    this.stats = stats;
    this.peer = peer;
    this.bootstrap = bootstrap;
    this.backoff = backoff;
    this.connected = connected;
  }

  /** Dials now unless a connection or an attempt exists; after the loss of a connection in use. */
  synchronized void dialNow() {
    failures = 0;
    dial();
  }

  /** Whether an outgoing connection to the peer is being made or is open. */
  synchronized boolean inFlight() {
    return dialing;
  }

  synchronized void stop() {
    stopped = true;
  }

  private synchronized void dial() {
    scheduled = false;
    if (stopped || dialing || connected.test(peer.id())) {
      return;
    }
    dialing = true;
    if (dialedBefore) {
      stats.reconnect();
    }
    dialedBefore = true;
    ChannelFuture connect = bootstrap.connect(new InetSocketAddress(peer.host(), peer.port()));
    Channel channel = connect.channel();
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        connectFailed(f.cause());
      } else {
        failureLog.reset(); // reachable again: the next failure is news
      }
    });
    channel.closeFuture().addListener(f -> attemptEnded());
  }

  private void connectFailed(Throwable cause) {
    long skipped = failureLog.tryLog();
    if (skipped >= 0) {
      log.info("server {}: cannot connect to server {} at {}:{} ({}); retrying with backoff ({} more failed attempts"
          + " not logged)", self, peer.id(), peer.host(), peer.port(), cause.toString(), skipped);
    }
  }

  private synchronized void attemptEnded() {
    dialing = false;
    if (stopped || scheduled || connected.test(peer.id())) {
      failures = 0;
      return;
    }
    long delay = backoff.delayNanos(failures++);
    scheduled = true;
    try {
      bootstrap.config().group().schedule(this::dial, delay, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      stopped = true;
    }
  }
}
