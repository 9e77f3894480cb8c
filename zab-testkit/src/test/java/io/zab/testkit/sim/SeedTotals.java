package io.zab.testkit.sim;

import io.zab.testkit.lin.LinearizabilityResult;

/** What the randomized runs of one test add up to over their seeds, for its summary line. */
final class SeedTotals {
  private final long start = System.nanoTime();
  long seeds;
  long events;
  long faults;
  long refused;
  long logDamages;
  long snapshotDamages;
  long simMicros;
  long violations;
  long linChecked;
  long linIllegal;
  long pressure;
  long changesAsked;
  long changesCompleted;
  long stranded;
  long unreachable;

  /** Adds one seed's run; returns whether its linearizability search ran out of budget (UNDECIDED). */
  boolean add(RunResult r) {
    seeds++;
    events += r.events();
    faults += r.faults();
    pressure += r.profile().pressure() ? 1 : 0;
    refused += r.refusedServers();
    logDamages += r.logDamages();
    snapshotDamages += r.snapshotDamages();
    simMicros += r.simMicros();
    violations += r.violations().isEmpty() ? 0 : 1;
    changesAsked += r.changesAsked();
    changesCompleted += r.changesCompleted();
    stranded += r.strandedMembers();
    unreachable += r.unreachableMembers();
    if (r.linearizability() == null) {
      return false;
    }
    if (r.linearizability().verdict() == LinearizabilityResult.Verdict.UNDECIDED) {
      return true;
    }
    linChecked++;
    linIllegal += r.linearizability().illegal() ? 1 : 0;
    return false;
  }

  double simSeconds() {
    return simMicros / 1e6;
  }

  double wallSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
