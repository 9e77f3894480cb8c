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

  /**
   * A check that has seen no leader yet.
   *
   * @param violations where it reports two leaders of one epoch
   */
  public LeadershipCheck(Violations violations) {
    this.violations = violations;
  }

  /**
   * Looks at a message a server sent: a NEWLEADER names its sender the leader of its epoch.
   *
   * @param from the sender's id
   * @param message the message sent
   */
  public void sent(long from, Message message) {
    if (message instanceof Message.NewLeader nl) {
      Long earlier = leaderOfEpoch.putIfAbsent(nl.epoch(), from);
      if (earlier != null && earlier != from) {
        violations.report("Leadership", from, "servers " + earlier + " and " + from + " both lead epoch " + nl.epoch());
      }
    }
  }

  /**
   * Epochs that had an established leader, and who.
   *
   * @return a copy: each epoch's leader's id, by epoch
   */
  public Map<Long, Long> leaders() {
    return Map.copyOf(leaderOfEpoch);
  }
}
