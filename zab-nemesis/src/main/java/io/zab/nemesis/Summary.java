package io.zab.nemesis;

/** The one-line verdict of a run, printed last. */
record Summary(int rounds, int partitions, int kills, int pauses, int ops, int ok, int unknown, int lost,
    boolean linearizable, boolean converged, int changesAsked, int changesDone, int transfersAsked,
    int transfersDone) {

  Summary(int rounds, int partitions, int kills, int pauses, int ops, int ok, int unknown, int lost,
      boolean linearizable, boolean converged, MembershipTally m) {
    this(rounds, partitions, kills, pauses, ops, ok, unknown, lost, linearizable, converged, m.changesAsked,
        m.changesDone, m.transfersAsked, m.transfersDone);
  }

  String line() {
    return "nemesis: rounds=" + rounds + " partitions=" + partitions + " kills=" + kills + " pauses=" + pauses
        + " ops=" + ops + " ok=" + ok + " unknown=" + unknown + " lost=" + lost + " linearizable="
        + (linearizable ? "yes" : "no") + " converged=" + (converged ? "yes" : "no") + " membership-changes="
        + changesDone + "/" + changesAsked + " transfers=" + transfersDone + "/" + transfersAsked;
  }
}
