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
  /**
   * Handles one event.
   *
   * @param event what happened
   * @return the actions to carry out, in order
   */
  List<Action> handle(Event event);

  /**
   * Handles a batch of events as the runtime's protocol thread does with one drain of its queue (the core may
   * coalesce them). By default one by one.
   *
   * @param events the batch, in order
   * @return the actions to carry out, in order
   */
  default List<Action> handleAll(List<Event> events) {
    List<Action> out = new java.util.ArrayList<>();
    for (Event e : events) {
      out.addAll(handle(e));
    }
    return out;
  }

  /**
   * The core's role.
   *
   * @return its role
   */
  Role role();

  /**
   * The leader it follows or is.
   *
   * @return the leader's id, 0 while looking
   */
  long leader();

  /**
   * The newest epoch it accepted in discovery (S6).
   *
   * @return the accepted epoch
   */
  long acceptedEpoch();

  /**
   * The epoch of the last NEWLEADER it accepted (S7).
   *
   * @return the current epoch
   */
  long currentEpoch();

  /**
   * The last zxid in its log (durable or not).
   *
   * @return the last zxid
   */
  Zxid lastZxid();

  /**
   * Every txn up to this zxid is known committed here.
   *
   * @return the commit point
   */
  Zxid committedZxid();

  /**
   * Whether the core serves clients in its role (an established leader, a synced follower or observer).
   *
   * @return true if it serves
   */
  boolean established();

  /**
   * The membership in force (the last CONFIG txn of its log, else its snapshot's, else its configured one).
   *
   * @return the membership
   */
  Membership membership();

  /**
   * The configuration clients see on this server.
   *
   * @return the configuration
   */
  ClusterConfiguration configuration();
}
