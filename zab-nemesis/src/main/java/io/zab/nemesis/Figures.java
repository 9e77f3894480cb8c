package io.zab.nemesis;

import io.zab.nemesis.cluster.NodeStatus;
import io.zab.nemesis.figures.LeaderTimeline;
import io.zab.nemesis.figures.Stats;
import io.zab.nemesis.figures.Window;
import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of a run: recovery after heals, time without a leader, throughput during faults. */
final class Figures {
  private Figures() {}

  static void print(Progress progress, List<FaultRecord> records, List<Op> ops, List<NodeStatus> samples,
      long faultsFrom, long faultsTo, int servers) {
    List<Long> all = new ArrayList<>();
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (FaultRecord r : records) {
      if (r.recoveryMicros() >= 0) {
        all.add(r.recoveryMicros() / 1_000);
        byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r.recoveryMicros() / 1_000);
      }
    }
    Stats total = Stats.of(all);
    StringBuilder kinds = new StringBuilder();
    byKind.forEach((k, v) -> {
      Stats s = Stats.of(v);
      kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ').append(s.median()).append('/')
          .append(s.max()).append(" (").append(s.count()).append(')');
    });
    progress.line(String.format(Locale.ROOT, "nemesis: heal to every server serving (ms): median %d, max %d over %d"
        + " heals; by kind median/max (n): %s", total.median(), total.max(), total.count(), kinds));

    String slowest = records.stream().filter(r -> r.recoveryMicros() >= 0)
        .sorted(java.util.Comparator.comparingLong(FaultRecord::recoveryMicros).reversed()).limit(3)
        .map(r -> "round " + r.round() + " (" + r.description() + ") " + r.recoveryMicros() / 1_000 + " ms")
        .collect(java.util.stream.Collectors.joining("; "));
    if (!slowest.isEmpty()) {
      progress.line("nemesis: slowest heals: " + slowest);
    }

    LeaderTimeline.Leaderless gone = LeaderTimeline.leaderless(samples, servers, faultsFrom, faultsTo, 50_000, 1_000_000);
    double span = Math.max(1, faultsTo - faultsFrom) / 1e6;
    progress.line(String.format(Locale.ROOT, "nemesis: without a leader: %.1f s of %.1f s under faults (%.1f%%),"
        + " longest stretch %.1f s", gone.totalMicros() / 1e6, span, 100 * gone.totalMicros() / 1e6 / span,
        gone.longestMicros() / 1e6));

    List<Window> faulty = records.stream().map(r -> new Window(r.startMicros(), r.healMicros())).toList();
    List<Window> calm = complement(faulty, faultsFrom, faultsTo);
    List<Long> done = ops.stream().filter(o -> o.outcome().definite()).map(Op::ret).toList();
    progress.line(String.format(Locale.ROOT, "nemesis: ops/s with a definite outcome: %.1f during faults (%.1f s),"
        + " %.1f between them (%.1f s)", Window.ratePerSecond(done, faulty), Window.totalLength(faulty) / 1e6,
        Window.ratePerSecond(done, calm), Window.totalLength(calm) / 1e6));

    long mismatch = ops.stream().filter(o -> o.outcome() == Outcome.MISMATCH).count();
    long fail = ops.stream().filter(o -> o.outcome() == Outcome.FAIL).count();
    long unknown = ops.stream().filter(o -> o.outcome() == Outcome.UNKNOWN).count();
    progress.line(String.format(Locale.ROOT, "nemesis: outcomes: %d ops, %d with a definite outcome (%d of them"
        + " compare-and-set mismatches), %d certainly not applied, %d unknown", ops.size(),
        ops.size() - fail - unknown, mismatch, fail, unknown));

    List<Long> transferGaps = new ArrayList<>();
    for (FaultRecord r : records) {
      if (r.kind().equals("transfer-leader") && r.note().startsWith("done")) {
        long to = r.healMicros() + Math.max(0, r.recoveryMicros());
        transferGaps.add(LeaderTimeline.leaderless(samples, servers, r.startMicros(), to, 50_000, 1_000_000)
            .totalMicros() / 1_000);
      }
    }
    if (!transferGaps.isEmpty()) {
      Stats s = Stats.of(transferGaps);
      progress.line(String.format(Locale.ROOT, "nemesis: without a leader around a completed leadership transfer"
          + " (ms): median %d, max %d over %d transfers", s.median(), s.max(), s.count()));
    }

    List<FaultRecord> snaps = records.stream().filter(r -> r.kind().equals("snapshot-catch-up")).toList();
    if (!snaps.isEmpty()) {
      long installed = snaps.stream().filter(r -> r.note().contains("installed a snapshot")).count();
      progress.line("nemesis: snapshot catch-ups: " + installed + " of " + snaps.size()
          + " cut-off followers installed the leader's snapshot"
          + (installed < snaps.size() ? " (the others caught up from the leader's log: SNAP not exercised there)" : ""));
    }
  }

  /** The parts of {@code [from, to)} outside every window (the windows do not overlap and are in order). */
  static List<Window> complement(List<Window> windows, long from, long to) {
    List<Window> out = new ArrayList<>();
    long t = from;
    for (Window w : windows) {
      if (w.from() > t) {
        out.add(new Window(t, Math.min(w.from(), to)));
      }
      t = Math.max(t, w.to());
    }
    if (t < to) {
      out.add(new Window(t, to));
    }
    return out;
  }
}
