package io.zab.transport.netty;

/**
 * A new connection claimed the id of a peer whose connection in use is alive and well ({@link PeerLinks}): it
 * is refused, since a healthy connection is never displaced by a newcomer (in plaintext anyone can claim any
 * id). Logged at WARN with the newcomer's address.
 */
final class DisplacementRefusedException extends PeerProtocolException {
  DisplacementRefusedException(String message) {
    super(message);
  }
}
