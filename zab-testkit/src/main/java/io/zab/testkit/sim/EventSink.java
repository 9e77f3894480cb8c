package io.zab.testkit.sim;

import io.zab.protocol.Event;

/** Where the network delivers messages and connection events: server {@code to}, if still in {@code incarnation}. */
interface EventSink {
  long incarnation(long server);

  boolean alive(long server);

  /** Whether {@code a} and {@code b} list each other as members (a connection needs both; issue 11). */
  boolean mayConnect(long a, long b);

  void deliver(long to, long incarnation, Event event);

  /**
   * Delivers message {@code m} from {@code from}, sent on connection {@code generation}; {@code bytes} is what it
   * counts against the in-flight bound (0 for control messages).
   */
  void deliver(long to, long incarnation, long from, io.zab.wire.Message m, long generation, long bytes);

  /**
   * A message of {@code messageBytes} counted bytes was sent: {@code bytes} are now queued in the network from
   * {@code from} to {@code to} on connection {@code generation}.
   */
  void queued(long from, long to, long generation, long bytes, long messageBytes);
}
