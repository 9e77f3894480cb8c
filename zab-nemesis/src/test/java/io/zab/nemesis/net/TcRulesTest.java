package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.fault.Shapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TcRulesTest {
  private final NetPlan plan = new NetPlan("t", 3, 1);

  @Test
  void isolatingAServerBlocksBothDirectionsOfItsLinks() {
    List<String> c = lines(TcRules.changes(plan, Cut.NONE, Shapes.isolate(1, plan.ids())));
    assertThat(c).containsExactlyInAnyOrder(
        add(1, 2), add(1, 3), add(2, 1), add(3, 1));
  }

  @Test
  void healingDeletesExactlyWhatWasAdded() {
    Cut isolate = Shapes.isolate(2, plan.ids());
    assertThat(lines(TcRules.changes(plan, isolate, Cut.NONE))).containsExactlyInAnyOrder(
        "tc -n zn-t-2 filter del dev zpeer parent 1: protocol ip prio 11",
        "tc -n zn-t-2 filter del dev zpeer parent 1: protocol ip prio 13",
        "tc -n zn-t-1 filter del dev zpeer parent 1: protocol ip prio 12",
        "tc -n zn-t-3 filter del dev zpeer parent 1: protocol ip prio 12");
    assertThat(TcRules.changes(plan, isolate, isolate)).isEmpty();
  }

  /** Any sequence of cuts, replayed on a model of the filters, leaves exactly the last cut's blocks. */
  @Test
  void anySequenceOfChangesEndsInTheTargetCut() {
    SplittableRandom rnd = new SplittableRandom(5);
    Map<Integer, Set<Integer>> filters = new HashMap<>();
    Cut current = Cut.NONE;
    for (int i = 0; i < 200; i++) {
      List<Cut.Link> links = new ArrayList<>();
      for (Cut.Link l : Shapes.all(plan.ids()).links()) {
        if (rnd.nextBoolean()) {
          links.add(l);
        }
      }
      Cut next = Cut.of(links);
      for (List<String> c : TcRules.changes(plan, current, next)) {
        int node = Integer.parseInt(c.get(2).substring(c.get(2).lastIndexOf('-') + 1));
        int peer = Integer.parseInt(c.get(c.indexOf("prio") + 1)) - 10;
        Set<Integer> f = filters.computeIfAbsent(node, k -> new HashSet<>());
        if (c.get(4).equals("add")) {
          assertThat(f.add(peer)).as("no duplicate filter").isTrue();
        } else {
          assertThat(f.remove(peer)).as("delete only what exists").isTrue();
        }
      }
      current = next;
      for (int node : plan.ids()) {
        assertThat(filters.getOrDefault(node, Set.of())).isEqualTo(current.blockedFrom(node));
      }
    }
  }

  private String add(int node, int peer) {
    return "tc -n zn-t-" + node + " filter add dev zpeer parent 1: protocol ip prio " + (10 + peer)
        + " u32 match ip dst 10.77.1." + peer + "/32 flowid 1:2";
  }

  private static List<String> lines(List<List<String>> commands) {
    return commands.stream().map(c -> String.join(" ", c)).toList();
  }
}
