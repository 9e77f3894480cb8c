package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.wire.Membership;
import java.util.List;

/** The view of one protocol core that the simulator drives (implemented over {@code io.zab.protocol.Peer}). */
@SuppressWarnings("exports") // drives the pure protocol core: names its Action/Event/Timing types (see module-info)
public interface ProtocolNode {
  List<Action> handle(Event event);

  /**
   * Handles a batch of events as the runtime's protocol thread does with one drain of its queue (the core may
   * coalesce them). By default one by one.
   */
  default List<Action> handleAll(List<Event> events) {
    List<Action> out = new java.util.ArrayList<>();
    for (Event e : events) {
      out.addAll(handle(e));
    }
    return out;
  }

  Role role();

  long leader();

  long acceptedEpoch();

  long currentEpoch();

  Zxid lastZxid();

  Zxid committedZxid();

  /** Whether the core serves clients in its role (an established leader, a synced follower or observer). */
  boolean established();

  /** The membership in force (the last CONFIG txn of its log, else its snapshot's, else its configured one). */
  Membership membership();

  /** The configuration clients see on this server. */
  ClusterConfiguration configuration();
}
