package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checkers can fail: bugs injected from outside the core (a disk that acks before its fsync, clients
 * that read without a barrier) are reported within a modest number of seeds, while the same seeds with the
 * bug switched off report no safety violation.
 */
class CheckersCatchBugsTest {
  /** CommitQuorum: a commit that no quorum holds durably (the run stops there, before the loss shows). */
  private static final Set<String> SAFETY_LOSS = Set.of("AcknowledgedWriteLost", "Agreement", "PrefixConsistency",
      "CommitQuorum");

  /** Slow disks (5-30 ms fsync) leave acked-but-unsynced writes around long enough for power losses to hit. */
  private static final RandomRun.Options SLOW_DISK = RandomRun.Options.defaults().withFsync(5_000, 30_000).withPressure(false);

  @Test
  void ackBeforeFsync_losesAcknowledgedWrites_andTheHistoryCheckSaysSo() {
    List<Long> caught = new ArrayList<>();
    for (long seed = 1; seed <= 40; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol::factory, SLOW_DISK.withDiskFaults(DiskFaults.ACK_BEFORE_FSYNC));
      if (r.violations().stream().anyMatch(v -> SAFETY_LOSS.contains(v.check()))) {
        caught.add(seed);
      }
    }
    assertThat(caught).as("seeds where a lost acknowledged write was detected").hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void correctDisk_sameSeeds_losesNothing() {
    for (long seed = 1; seed <= 40; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol::factory, SLOW_DISK);
      assertThat(r.violations()).as("seed %d", seed).noneMatch(v -> SAFETY_LOSS.contains(v.check()));
    }
  }

  @Test
  void readsWithoutBarrier_areStale_andTheLinearizabilityCheckSaysSo() {
    int caught = 0;
    for (long seed = 1; seed <= 10; seed++) {
      RunResult r = RandomRun.run(seed, PeerProtocol::factory,
          RandomRun.Options.defaults().withReadMode(ReadMode.LOCAL_WITHOUT_BARRIER).withPressure(false));
      if (r.linearizability() != null && r.linearizability().illegal()) {
        caught++;
        assertThat(r.report()).contains("ILLEGAL history", "-Dzab.sim.seed=" + seed);
      }
    }
    assertThat(caught).as("runs with a stale read detected out of 10").isGreaterThanOrEqualTo(5);
  }

  /**
   * The TransportBound check (issue 10 item 3) catches a core that sends a slow follower more than the transport
   * holds: a window far above the bound the simulator enforces stands in for a core without flow control.
   */
  @Test
  void aCoreThatOutrunsASlowFollowerBreaksTheTransportBound_andOneWithItsWindowDoesNot() {
    assertThat(slowFollowerUnderBursts(1 << 20, 64 << 10, 64 << 10)).as("window 1 MiB against a 64 KiB bound")
        .anyMatch(v -> v.check().equals("TransportBound"));
    assertThat(slowFollowerUnderBursts(48 << 10, 64 << 10, 64 << 10)).as("window 48 KiB, frames of 64 KiB").isEmpty();
  }

  /** The FrameCap check (issue 10 item 1) catches proposals larger than the transport's frame. */
  @Test
  void proposalsLargerThanTheTransportsFrameBreakTheFrameCap() {
    assertThat(slowFollowerUnderBursts(48 << 10, 64 << 10, 16 << 10)).as("the cores cut at 64 KiB, the transport at 16")
        .anyMatch(v -> v.check().equals("FrameCap"));
  }

  /**
   * The ResultHandoff check (issue 16) catches a core that completes a write only after delivering its txn (the
   * order before issue 16, which left the result of that apply with nobody to take it); the real core passes it.
   */
  @Test
  void aCoreThatCompletesWritesAfterDeliveringThemBreaksTheResultHandoff_andTheRealCoreDoesNot() {
    RandomRun.Options options = RandomRun.Options.defaults().withPressure(false);
    int caught = 0;
    for (long seed = 1; seed <= 5; seed++) {
      RunResult late = RandomRun.run(seed, CheckersCatchBugsTest::completingLast, options);
      caught += late.violations().stream().anyMatch(v -> v.check().equals("ResultHandoff")) ? 1 : 0;
      assertThat(RandomRun.run(seed, PeerProtocol::factory, options).violations()).as("seed %d", seed)
          .noneMatch(v -> v.check().equals("ResultHandoff"));
    }
    assertThat(caught).as("runs of the late-completing core caught out of 5").isEqualTo(5);
  }

  /** The real core, with every {@code Complete} moved behind the other actions of its list. */
  private static ProtocolFactory completingLast(PeerProtocol.Limits limits) {
    ProtocolFactory real = PeerProtocol.factory(limits);
    return (self, voters, durable) -> new CompletesLast(real.create(self, voters, durable));
  }

  private static final class CompletesLast extends ForwardingProtocolNode {
    CompletesLast(ProtocolNode core) {
      super(core);
    }

    private static List<io.zab.protocol.Action> completesLast(List<io.zab.protocol.Action> actions) {
      List<io.zab.protocol.Action> out = new ArrayList<>();
      actions.stream().filter(a -> !(a instanceof io.zab.protocol.Action.Complete)).forEach(out::add);
      actions.stream().filter(a -> a instanceof io.zab.protocol.Action.Complete).forEach(out::add);
      return out;
    }

    @Override
    public List<io.zab.protocol.Action> handle(io.zab.protocol.Event event) {
      return completesLast(core.handle(event));
    }

    @Override
    public List<io.zab.protocol.Action> handleAll(List<io.zab.protocol.Event> events) {
      return completesLast(core.handleAll(events));
    }
  }

  /**
   * Three servers, server 1 with a 200-300 ms fsync, 10 s of bursts of 8-16 KiB writes, cores with 64 KiB frames
   * and {@code window}; the simulator enforces {@code bound} and {@code frame}: the violations.
   */
  private static List<Violation> slowFollowerUnderBursts(long window, long bound, int frame) {
    PeerProtocol.Limits limits = new PeerProtocol.Limits(16 << 10, 1_000, 64 << 10, window, 16 << 10);
    Simulation sim = new Simulation(new SimConfig(3, 3, 50_000, NetworkModel.lan(), 200, 3_000, DiskFaults.CORRECT, 50,
        PeerProtocol.factory(limits), KvStateMachine::new, true,
        java.util.Map.of(1L, new SimConfig.ServerSpeed(200_000, 300_000, 0)), bound, frame));
    for (SimServer s : sim.servers()) {
      sim.start(s.id());
    }
    sim.runUntil(() -> sim.servers().stream().allMatch(SimServer::synced), 10_000_000);
    KvWorkload workload = new KvWorkload(sim, 4, 0.5, 2_000, 40_000, ReadMode.AFTER_BARRIER);
    workload.start(1);
    workload.startBursts(100_000, 300_000, 10, 30, 8 << 10, 16 << 10);
    sim.runFor(10_000_000);
    return sim.violations().all();
  }
}
