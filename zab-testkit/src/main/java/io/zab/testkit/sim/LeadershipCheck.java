package io.zab.testkit.sim;

import io.zab.wire.Message;
import java.util.HashMap;
import java.util.Map;

/**
 * Leadership (Zab.tla): at most one server establishes itself as leader of an epoch. A server that sends
 * NEWLEADER for epoch e has completed discovery for e; two different senders for one e is a violation.
 */
public final class LeadershipCheck {
  private final Violations violations;
  private final Map<Long, Long> leaderOfEpoch = new HashMap<>();

  public LeadershipCheck(Violations violations) {
    this.violations = violations;
  }

  public void sent(long from, Message message) {
    if (message instanceof Message.NewLeader nl) {
      Long earlier = leaderOfEpoch.putIfAbsent(nl.epoch(), from);
      if (earlier != null && earlier != from) {
        violations.report("Leadership", from, "servers " + earlier + " and " + from + " both lead epoch " + nl.epoch());
      }
    }
  }

  /** Epochs that had an established leader, and who. */
  public Map<Long, Long> leaders() {
    return Map.copyOf(leaderOfEpoch);
  }
}
