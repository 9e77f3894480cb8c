package io.zab.testkit.sim;

import io.zab.protocol.Event;

/** Where the network delivers messages and connection events: server {@code to}, if still in {@code incarnation}. */
interface EventSink {
  long incarnation(long server);

  boolean alive(long server);

  void deliver(long to, long incarnation, Event event);
}
