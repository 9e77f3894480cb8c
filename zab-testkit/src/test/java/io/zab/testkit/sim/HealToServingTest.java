package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 7: after a partition heals, every server serves again within a second (default timing, 50 ms
 * ticks). Prints the distribution of "time from heal to serving" over every server of every run:
 * {@code heal-to-serving: runs=R servers=N p50=…ms p90=…ms p99=…ms max=…ms}. {@code -Dzab.sim.healRuns=N} runs more
 * (default 30); {@code -Dzab.sim.healSeed=S} one.
 */
class HealToServingTest {
  @Test
  void everyServerServesWithinASecondOfTheHeal() {
    String only = System.getProperty("zab.sim.healSeed");
    long first = only != null ? Long.parseLong(only) : 1;
    long count = only != null ? 1 : Long.getLong("zab.sim.healRuns", 30);
    List<Long> all = new ArrayList<>();
    List<String> slow = new ArrayList<>();
    HealToServing.Run worst = null;
    for (long seed = first; seed < first + count; seed++) {
      HealToServing.Run r = HealToServing.run(seed, PeerProtocol.factory());
      assertThat(r.violations()).as("seed %d", seed).isEmpty();
      Arrays.stream(r.micros()).forEach(all::add);
      if (r.trace() != null) {
        System.out.println("heal-to-serving: seed " + seed + " trace:\n" + r.trace());
      }
      if (r.worst() < 0 || r.worst() >= 1_000_000) {
        slow.add("seed " + seed + " " + r.kind() + " partition " + r.partitionMicros() / 1000 + "ms: "
            + Arrays.toString(Arrays.stream(r.micros()).map(m -> m / 1000).toArray()) + " ms");
      }
      if (worst == null || r.worst() < 0 || (worst.worst() >= 0 && r.worst() > worst.worst())) {
        worst = r;
      }
    }
    List<Long> sorted = all.stream().map(m -> m < 0 ? Long.MAX_VALUE : m).sorted().toList();
    System.out.printf("heal-to-serving: runs=%d servers=%d p50=%s p90=%s p99=%s max=%s (worst: seed %d, %s)%n",
        count, sorted.size(), ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), ms(sorted, 1.0), worst.seed(),
        worst.kind());
    slow.forEach(s -> System.out.println("heal-to-serving: slow " + s));
    assertThat(slow).as("runs where a server took a second or more to serve after the heal").isEmpty();
  }

  private static String ms(List<Long> sorted, double q) {
    long v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    return v == Long.MAX_VALUE ? "never" : String.format("%.1fms", v / 1000.0);
  }
}
