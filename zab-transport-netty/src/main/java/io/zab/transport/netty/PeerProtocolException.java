package io.zab.transport.netty;

/**
 * A remote endpoint broke the transport protocol (framing or handshake). The connection it came on is
 * closed; the message says what was wrong and where.
 */
public class PeerProtocolException extends RuntimeException {
  /**
   * A broken rule of the transport protocol.
   *
   * @param message what was wrong and where
   */
  public PeerProtocolException(String message) {
    super(message);
  }
}
