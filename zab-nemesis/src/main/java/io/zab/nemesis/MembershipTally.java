package io.zab.nemesis;

/**
 * What the membership faults asked and what took effect: voter changes (each removal, each re-add counts once,
 * however often a lost race made it retry) and leadership transfers. Used from the fault thread only.
 */
final class MembershipTally {
  int changesAsked;
  int changesDone;
  int transfersAsked;
  int transfersDone;

  String line() {
    return "membership changes " + changesDone + " of " + changesAsked + " completed, leadership transfers "
        + transfersDone + " of " + transfersAsked + " completed";
  }
}
