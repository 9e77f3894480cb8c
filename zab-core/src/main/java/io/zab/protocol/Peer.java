package io.zab.protocol;

import java.util.List;

/**
 * The pure ZAB state machine of one server: events in, actions out. No threads, clocks, sockets or files.
 * (Placeholder signature; the implementation lands with the protocol core.)
 */
public final class Peer {
  private Peer() {}

  /** Handles one event and returns the actions to carry out, in order. */
  public List<Action> handle(Event event) {
    throw new UnsupportedOperationException("protocol core not yet implemented");
  }
}
