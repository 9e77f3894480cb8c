package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.zab.wire.CodecException;
import io.zab.runtime.LogThrottle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Where a connection closed on an error is reported (logged and counted in production). */
@FunctionalInterface
interface Rejections {

  void rejected(Channel channel, Throwable reason);

  /** Whether {@code reason} is a kind of bad input or network failure we expect, rather than a bug of ours. */
  static boolean expected(Throwable reason) {
    return reason instanceof PeerProtocolException || reason instanceof CodecException
        || reason instanceof SSLException || reason instanceof IOException;
  }

  /**
   * How loudly a refused connection is logged: WARN for what an operator must look at (bad input, a refused TLS
   * handshake, an impostor), INFO for what happens in normal operation (a peer died: an I/O error; the
   * tie-break when two servers dial each other), ERROR for a bug of ours.
   */
  static Level levelOf(Throwable reason) {
    if (!expected(reason)) {
      return Level.ERROR;
    }
    if (reason instanceof SSLException) {
      return Level.WARN; // an SSLException is an IOException, but a refused handshake is not a routine loss
    }
    if (reason instanceof IOException || reason instanceof DuplicateConnectionException) {
      return Level.INFO;
    }
    return Level.WARN;
  }

  /**
   * Logs one line naming the remote address, the peer (if authenticated) and the reason; counts it. The same
   * kind of refusal from the same host (a misconfigured server redialing, a scanner) is logged at most once a
   * second, the next line counting those left out.
   */
  static Rejections logging(TransportStats stats) {
    Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    LogThrottles throttles = new LogThrottles(LogThrottle.ONE_SECOND, System::nanoTime);
    return (channel, reason) -> {
      boolean expected = expected(reason);
      stats.connectionRejected(expected);
      long skipped = throttles.tryLog(host(channel) + " " + reason.getClass().getName());
      if (skipped < 0) {
        return;
      }
      Long peer = channel.attr(PeerLinks.PEER).get();
      String who = peer == null ? "unauthenticated"
          : (reason instanceof DisplacementRefusedException ? "claiming to be server " : "server ") + peer;
      switch (levelOf(reason)) {
        case ERROR -> log.error("closing connection {} ({}): unexpected error ({} similar not logged)",
            channel.remoteAddress(), who, skipped, reason);
        case INFO -> log.info("closing connection {} ({}): {} ({} similar not logged)", channel.remoteAddress(), who,
            reason instanceof IOException ? reason.toString() : reason.getMessage(), skipped);
        default -> log.warn("closing connection {} ({}): {} ({} similar not logged)", channel.remoteAddress(), who,
            reason instanceof SSLException ? reason.toString() : reason.getMessage(), skipped);
      }
    };
  }

  /** The remote host of {@code channel} without its port (a redialing client gets a new port each time). */
  private static String host(Channel channel) {
    SocketAddress remote = channel.remoteAddress();
    return remote instanceof InetSocketAddress a ? a.getHostString() : String.valueOf(remote);
  }
}
