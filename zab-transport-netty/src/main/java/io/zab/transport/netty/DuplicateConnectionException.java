package io.zab.transport.netty;

/**
 * A second connection to an already connected peer lost the tie-break ({@link PeerLinks}). Routine when two
 * servers dial each other at once, so it is logged at INFO, not as bad input.
 */
final class DuplicateConnectionException extends PeerProtocolException {
  DuplicateConnectionException(String message) {
    super(message);
  }
}
