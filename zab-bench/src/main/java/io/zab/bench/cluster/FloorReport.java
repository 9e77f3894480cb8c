package io.zab.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The floors measured beside zab in one run, as markdown: zab at one in flight against the fsync + round-trip floor
 * taken in slices between its own ({@link FloorSlices}), zab's tail at 256 in flight against three logs
 * group-committing on the same disk ({@link QuorumDiskCeiling}), and the cost per write of 3, 5 and 7 servers at
 * the same open-loop rate ({@link RateStep}).
 */
final class FloorReport {

  static final double ONE_IN_FLIGHT_BOUND = 1.5;
  static final double SCALE_5_BOUND = 1.25;

  private FloorReport() {}

  static String render(List<LoadResult> results, List<FloorSlices> floors, String loadAverage) {
    StringBuilder md = new StringBuilder("\n### Floors measured beside the run\n\n");
    md.append("Load average (1, 5, 15 min, as `uptime` prints it) at the start → end of the run: ")
        .append(loadAverage).append(".\n");
    for (FloorSlices floor : floors) {
      oneInFlight(md, floor);
    }
    diskTail(md, results);
    scale(md, results);
    return md.toString();
  }

  private static void oneInFlight(StringBuilder md, FloorSlices f) {
    md.append(String.format(Locale.ROOT, "%n#### One in flight against its floor, interleaved (%s, 3 servers, %d B,"
            + " slices of %d ms; load average %s)%n%n", f.system(), f.payloadBytes(), f.sliceMs(), f.loadAverage()));
    md.append("| round | fsync p50 ms | round trip p50 ms | floor ms | zab p50 ms | zab writes | zab / floor |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    int round = 1;
    for (FloorSlices.Slice s : f.slices()) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %d | %.2f |%n", round++, ms(s.fsyncP50Us()),
          ms(s.roundTripP50Us()), ms(s.floorUs()), ms(s.zabP50Us()), s.zabOps(), s.ratio()));
    }
    long fsync = f.fsync().getValueAtPercentile(50);
    long rtt = f.roundTrip().getValueAtPercentile(50);
    md.append(String.format(Locale.ROOT, "| pooled | %s | %s | %s | %s | %d | %.2f |%n%n", ms(fsync), ms(rtt),
        ms(fsync + rtt), ms(f.zab().getValueAtPercentile(50)), f.zab().getTotalCount(), f.pooledRatio()));
    double median = f.medianRatio();
    md.append(String.format(Locale.ROOT, "Median of the %d rounds' ratios: **%.2f** (target ≤ %.1f: %s); pooled p50s:"
            + " fsync %s ms (p99 %s), round trip %s ms (p99 %s), zab %s ms (p99 %s).%n", f.slices().size(), median,
        ONE_IN_FLIGHT_BOUND, median <= ONE_IN_FLIGHT_BOUND ? "met" : "not met", ms(fsync),
        ms(f.fsync().getValueAtPercentile(99)), ms(rtt), ms(f.roundTrip().getValueAtPercentile(99)),
        ms(f.zab().getValueAtPercentile(50)), ms(f.zab().getValueAtPercentile(99))));
  }

  private static void diskTail(StringBuilder md, List<LoadResult> results) {
    List<LoadResult> disk = results.stream().filter(r -> r.system().equals(QuorumDiskCeiling.SYSTEM)).toList();
    if (disk.isEmpty()) {
      return;
    }
    md.append("\n#### The disk's own tail: three group-committing logs on the one disk\n\n");
    md.append("`each`: a record's latency in one log (append → durable), three logs pooled; `quorum`: a record done"
        + " once 2 of the 3 logs have it (the second-fastest fsync, the floor of a 3-server commit). MB/s: all three"
        + " logs together.\n\n");
    md.append("| load | mode | in flight | records/s | MB/s | p50 ms | p99 ms | p99.9 ms | max ms |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LoadResult r : disk) {
      boolean each = r.mode().startsWith(QuorumDiskCeiling.EACH);
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %s | %s | %s | %s | %s |%n",
          QuorumDiskCeiling.SYSTEM, r.mode(), r.inFlight(), each ? r.opsPerSec() / 3 : r.opsPerSec(),
          each ? String.format(Locale.ROOT, "%.0f", r.opsPerSec() * r.payloadBytes() / 1e6) : "—", ms(r.p50Us()),
          ms(r.p99Us()), ms(r.p999Us()), ms(r.maxUs())));
    }
    for (LoadResult zab : results) {
      if (zab.mode().equals(BenchReport.IN_PROCESS) && zab.inFlight() >= 32 && zab.cost().servers() == 3) {
        md.append(String.format(Locale.ROOT, "| %s, 3 servers | in-process | %d | %,.0f | %.0f (one log) | %s | %s"
                + " | %s | %s |%n", zab.system(), zab.inFlight(), zab.opsPerSec(),
            zab.opsPerSec() * zab.payloadBytes() / 1e6, ms(zab.p50Us()), ms(zab.p99Us()), ms(zab.p999Us()),
            ms(zab.maxUs())));
      }
    }
    md.append('\n');
    for (LoadResult zab : results) {
      if (!zab.mode().equals(BenchReport.IN_PROCESS) || zab.cost().servers() != 3) {
        continue;
      }
      for (LoadResult floor : floorsAfter(results, zab)) {
        if (floor.mode().startsWith(QuorumDiskCeiling.QUORUM) && floor.inFlight() == zab.inFlight()
            && floor.p999Us() > 0) {
          md.append(String.format(Locale.ROOT, "- %s at %d in flight against the quorum floor (%s): p99 %.2f×,"
                  + " p99.9 %.2f× (%s ms against %s ms)%n", zab.system(), zab.inFlight(), floor.mode(),
              (double) zab.p99Us() / floor.p99Us(), (double) zab.p999Us() / floor.p999Us(), ms(zab.p999Us()),
              ms(floor.p999Us())));
        }
      }
    }
  }

  /**
   * The three-log floors ({@link QuorumDiskCeiling}) measured right after the steps {@code zab} belongs to, in run
   * order: the bench measures them after each system's in-process steps on 3 servers, so a result is compared with
   * its own system's floors and not with those another system (a baseline, a second run) measured. Empty if none
   * were measured after it.
   */
  static List<LoadResult> floorsAfter(List<LoadResult> results, LoadResult zab) {
    List<LoadResult> floors = new ArrayList<>();
    int at = -1;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) == zab) {
        at = i;
        break;
      }
    }
    for (int i = at + 1; at >= 0 && i < results.size(); i++) {
      LoadResult r = results.get(i);
      boolean floor = r.system().equals(QuorumDiskCeiling.SYSTEM);
      if (floor) {
        floors.add(r);
      } else if (!floors.isEmpty() || !r.system().equals(zab.system())) {
        break; // past this system's floors, or at another system's steps before any floor of this one
      }
    }
    return floors;
  }

  private static void scale(StringBuilder md, List<LoadResult> results) {
    // system -> mode -> servers -> result
    TreeMap<String, TreeMap<String, TreeMap<Integer, LoadResult>>> open = new TreeMap<>();
    for (LoadResult r : results) {
      if (r.mode().startsWith("open-") && r.cost().servers() > 0) {
        open.computeIfAbsent(r.system(), k -> new TreeMap<>()).computeIfAbsent(r.mode(), k -> new TreeMap<>())
            .put(r.cost().servers(), r);
      }
    }
    if (open.isEmpty()) {
      return;
    }
    md.append("\n#### Cost per write at equal throughput (open loop, submit in the leader's JVM)\n\n");
    md.append("CPU µs per acknowledged write, user + system, over the window; the leader's includes the load"
        + " generator.\n\n");
    md.append("| system | rate asked | servers | achieved writes/s | p50 ms | p99 ms | errors | CPU µs/write: leader"
        + " | follower (mean) | per server (mean) | all servers |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<String> ratios = new ArrayList<>();
    open.forEach((system, modes) -> modes.forEach((mode, bySize) -> {
      bySize.forEach((servers, r) -> md.append(String.format(Locale.ROOT,
          "| %s | %s | %d | %,.0f | %s | %s | %d | %.1f | %s | %.1f | %.1f |%n", system, mode.substring(5), servers,
          r.opsPerSec(), ms(r.p50Us()), ms(r.p99Us()), r.errors(), r.cost().leaderCpuUsPerOp(),
          followerMean(r).map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("—"), perServer(r),
          r.cost().cpuUsPerOp())));
      LoadResult three = bySize.get(3);
      for (int more : List.of(5, 7)) {
        LoadResult larger = bySize.get(more);
        if (three != null && larger != null && three.cost().leaderCpuUsPerOp() > 0) {
          String offRate = offRate(three) || offRate(larger)
              ? " — **not at equal throughput**: a cluster's achieved rate is more than 5% off the rate asked" : "";
          double leader = larger.cost().leaderCpuUsPerOp() / three.cost().leaderCpuUsPerOp();
          double server = perServer(larger) / perServer(three);
          ratios.add(String.format(Locale.ROOT, "- %s at %s, %d / 3 servers: leader CPU per write **%.2f**, per-server"
                  + " CPU per write **%.2f**, all servers %.2f%s", system, mode.substring(5), more, leader, server,
              larger.cost().cpuUsPerOp() / three.cost().cpuUsPerOp(), more == 5 ? String.format(Locale.ROOT,
                  " (target ≤ %.2f for the cost per write: leader %s, per server %s)", SCALE_5_BOUND,
                  leader <= SCALE_5_BOUND ? "met" : "not met", server <= SCALE_5_BOUND ? "met" : "not met") : "")
              + offRate);
        }
      }
    }));
    md.append('\n');
    ratios.forEach(r -> md.append(r).append('\n'));
  }

  /** Whether an open-loop result's achieved rate is more than 5% off its asked rate ({@code open-<rate>/s}). */
  static boolean offRate(LoadResult r) {
    long asked = Long.parseLong(r.mode().substring("open-".length(), r.mode().length() - "/s".length()));
    return Math.abs(r.opsPerSec() / asked - 1) > 0.05;
  }

  /** Mean CPU per write of one follower: (all − leader) / (servers − 1). */
  static Optional<Double> followerMean(LoadResult r) {
    LoadResult.Cost c = r.cost();
    if (c.servers() < 2 || c.cpuUsPerOp() < 0 || c.leaderCpuUsPerOp() < 0) {
      return Optional.empty();
    }
    return Optional.of((c.cpuUsPerOp() - c.leaderCpuUsPerOp()) / (c.servers() - 1));
  }

  /** Mean CPU per write of one server: all / servers. */
  static double perServer(LoadResult r) {
    return r.cost().cpuUsPerOp() / r.cost().servers();
  }

  private static String ms(long us) {
    return String.format(Locale.ROOT, us < 10_000 ? "%.2f" : "%.1f", us / 1000.0);
  }
}
