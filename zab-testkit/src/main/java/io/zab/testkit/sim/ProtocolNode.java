package io.zab.testkit.sim;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import java.util.List;

/** The view of one protocol core that the simulator drives (implemented over {@code io.zab.protocol.Peer}). */
public interface ProtocolNode {
  List<Action> handle(Event event);

  Role role();

  long leader();

  long acceptedEpoch();

  long currentEpoch();

  Zxid lastZxid();

  Zxid committedZxid();
}
