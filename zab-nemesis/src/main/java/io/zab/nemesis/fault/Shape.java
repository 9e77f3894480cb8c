package io.zab.nemesis.fault;

/** The partition shapes, relative to the leader at the moment of the cut. */
public enum Shape {
  /** The leader loses both followers (it must step down after syncLimit; the others elect). */
  ISOLATE_LEADER,
  /** One follower loses everyone (it must stop serving; the others go on). */
  ISOLATE_FOLLOWER,
  /** One server (the bridge) sees both others, which cannot see each other. */
  BRIDGE,
  /** Nobody sees anybody: no quorum anywhere, nothing may commit. */
  ALL_CUT
}
