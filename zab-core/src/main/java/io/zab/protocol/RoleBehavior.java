package io.zab.protocol;

import io.zab.Role;
import io.zab.wire.Message;

/** What a server does in one role (FOLLOWING or LEADING); {@link Peer} dispatches events to it. */
interface RoleBehavior {

  Role role();

  /** The leader this role serves (this server when leading). */
  long leader();

  /** The leader's epoch once discovery set it, else the current epoch. */
  long epoch();

  /** Whether the role is established (broadcast phase: clients are served). */
  boolean established();

  /**
   * Whether this role is tied to one leadership of its leader (only a follower past discovery is: it accepted
   * that leader's epoch), so that the leader announcing LOOKING afterwards ends the role.
   */
  default boolean boundToLeader() {
    return false;
  }

  /** Servers this role must reach beyond the membership in force (a leader's learners and leaving members). */
  default java.util.Collection<io.zab.Member> extraPeers() {
    return java.util.List.of();
  }

  void onMessage(long from, Message m);

  void onTick();

  /** The replica's durable mark moved (already recorded in the replica). */
  void onPersisted();

  void onConnected(long peer);

  void onDisconnected(long peer);

  void onSubmit(Event.Submit s);

  void onReadBarrier(long requestId);

  /** A reconfiguration asked on this server (issue 11). */
  void onReconfigure(Event.Reconfigure rc);

  /** A leadership transfer asked on this server (issue 11). */
  void onTransferLeadership(Event.TransferLeadership t);

  /** Emits work deferred while a batch of events was handled (coalesced proposals, acks, commits). */
  void flush();

  /** The server leaves this role: fail pending requests, discard partial transfers. */
  void leave();

  /** How a role asks the server to go back to LOOKING. */
  interface Exit {
    void backToLooking(String reason);

    /**
     * Back to LOOKING, and do not rejoin {@code leader}'s established epoch for a while: it offered a stale
     * epoch or broke the protocol, and rejoining at once would loop without pause.
     */
    void refuseLeader(long leader, String reason);

    /**
     * Back to LOOKING because the leader hands over to {@code target}: in the election that follows, a vote for
     * {@code targetVote} wins ties on (epoch, zxid) (docs/protocol.md, leadership transfer).
     */
    void handover(Vote targetVote, String reason);
  }
}
