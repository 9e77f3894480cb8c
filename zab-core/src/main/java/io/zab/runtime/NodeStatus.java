package io.zab.runtime;

import io.zab.Role;
import io.zab.Zxid;

/**
 * What a node reports about itself, published by the protocol thread after every batch of events so client
 * threads can read it without touching the core.
 */
record NodeStatus(Role role, long leader, long epoch, Zxid lastZxid, Zxid committedZxid) {
  static final NodeStatus INITIAL = new NodeStatus(Role.LOOKING, 0, 0, Zxid.ZERO, Zxid.ZERO);
}
