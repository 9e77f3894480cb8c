package io.zab.runtime;

import io.zab.Role;
import io.zab.Zxid;

/**
 * What a node reports about itself, published by the protocol thread after every batch of events so client
 * threads (and metrics gauges) can read it without touching the core.
 *
 * @param heldTxns txns of the log the core holds in memory
 * @param heldBytes their payload bytes
 */
record NodeStatus(Role role, long leader, long epoch, Zxid lastZxid, Zxid committedZxid, long heldTxns,
    long heldBytes) {
  static final NodeStatus INITIAL = new NodeStatus(Role.LOOKING, 0, 0, Zxid.ZERO, Zxid.ZERO, 0, 0);

  /** This status once the node stopped: no role, no leader; what it had logged and committed stays. */
  NodeStatus stopped() {
    return new NodeStatus(Role.LOOKING, 0, epoch, lastZxid, committedZxid, heldTxns, heldBytes);
  }
}
