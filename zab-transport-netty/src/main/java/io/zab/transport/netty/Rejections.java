package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.zab.wire.CodecException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a connection closed on an error is reported (logged and counted in production). */
@FunctionalInterface
interface Rejections {

  void rejected(Channel channel, Throwable reason);

  /** Whether {@code reason} is a kind of bad input or network failure we expect, rather than a bug of ours. */
  static boolean expected(Throwable reason) {
    return reason instanceof PeerProtocolException || reason instanceof CodecException
        || reason instanceof SSLException || reason instanceof IOException;
  }

  /** Logs one line naming the remote address, the peer (if authenticated) and the reason; counts it. */
  static Rejections logging(TransportStats stats) {
    Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    return (channel, reason) -> {
      boolean expected = expected(reason);
      stats.connectionRejected(expected);
      Long peer = channel.attr(PeerLinks.PEER).get();
      String who = peer == null ? "unauthenticated" : "server " + peer;
      if (!expected) {
        log.error("closing connection {} ({}): unexpected error", channel.remoteAddress(), who, reason);
      } else if (reason instanceof IOException || reason instanceof DuplicateConnectionException) {
        log.info("closing connection {} ({}): {}", channel.remoteAddress(), who,
            reason instanceof IOException ? reason.toString() : reason.getMessage());
      } else {
        log.warn("closing connection {} ({}): {}", channel.remoteAddress(), who, reason.getMessage());
      }
    };
  }
}
