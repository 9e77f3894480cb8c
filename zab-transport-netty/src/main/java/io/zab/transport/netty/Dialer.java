package io.zab.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.zab.Member;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dialing one peer while there is no connection in use to it: at most one outgoing attempt at a time,
 * retried with {@link Backoff} after failures, immediately after a connection in use is lost.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  private final Member peer;
  private final Bootstrap bootstrap;
  private final Backoff backoff;
  private final LongPredicate connected;
  private boolean dialing;
  private boolean scheduled;
  private boolean stopped;
  private int failures;

  /** @param connected whether a connection in use to a peer exists */
  Dialer(Member peer, Bootstrap bootstrap, Backoff backoff, LongPredicate connected) {
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
    ChannelFuture connect = bootstrap.connect(new InetSocketAddress(peer.host(), peer.port()));
    Channel channel = connect.channel();
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        log.debug("server {}: connect to {} failed: {}", peer.id(), peer, f.cause().toString());
      }
    });
    channel.closeFuture().addListener(f -> attemptEnded());
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
