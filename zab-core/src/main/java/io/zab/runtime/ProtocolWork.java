package io.zab.runtime;

import io.zab.protocol.Action;
import io.zab.protocol.Event;
import java.io.IOException;
import java.util.List;

/**
 * What one batch of events costs the node, in the steps {@link ProtocolLoop} takes under its lock: the core
 * handles the events, the runtime carries out the actions, then what follows a batch. Not thread-safe: the loop
 * calls it from one thread at a time, each call after the previous one.
 */
interface ProtocolWork {
  /** The core handles {@code batch} (in order); returns the actions to carry out, in order. */
  List<Action> handle(List<Event> batch);

  /**
   * Whether {@code actions} may be carried out by a thread that must neither wait nor do disk work (one that runs a
   * batch in place of the protocol thread, {@link ProtocolLoop#tryRunHere}).
   */
  boolean runsAnywhere(List<Action> actions);

  /** Carries out {@code actions} in order; returns the events the core must handle next (usually none). */
  List<Event> carryOut(List<Action> actions) throws IOException;

  /** After every action of {@code batch} was carried out: cleanup, transport reads resumed, status published. */
  void batchDone(List<Event> batch);

  /** The protocol has stopped: nothing more is called. */
  void close();
}
