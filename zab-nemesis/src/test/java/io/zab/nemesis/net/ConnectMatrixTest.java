package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.fault.Shapes;
import io.zab.nemesis.net.ConnectMatrix.Probe;
import io.zab.nemesis.net.ConnectMatrix.Reach;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectMatrixTest {
  private static final List<Integer> IDS = List.of(1, 2, 3);

  @Test
  void refusedOrConnectedIsOpenSilenceIsCut() {
    List<String> cmd = List.of("bash");
    assertThat(ConnectMatrix.classify(new CommandRunner.Result(cmd, 1, "bash: connect: Connection refused\n")))
        .isEqualTo(Reach.OPEN);
    assertThat(ConnectMatrix.classify(new CommandRunner.Result(cmd, 0, ""))).isEqualTo(Reach.OPEN);
    assertThat(ConnectMatrix.classify(new CommandRunner.Result(cmd, 124, ""))).isEqualTo(Reach.CUT);
    assertThat(ConnectMatrix.classify(new CommandRunner.Result(cmd, 1, "bash: connect: No route to host")))
        .isEqualTo(Reach.ERROR);
  }

  @Test
  void aNetworkExactlyAsCutHasNoMismatch() {
    Cut cut = Shapes.bridge(2, IDS);
    assertThat(ConnectMatrix.mismatches(cut, probes(cut))).isEmpty();
  }

  @Test
  void aLinkThatShouldBeCutButIsOpenIsReported() {
    Cut intended = Shapes.isolate(1, IDS);
    List<Probe> seen = probes(Cut.NONE); // the filters did not take: 1 still reaches everyone
    assertThat(ConnectMatrix.mismatches(intended, seen)).hasSize(4)
        .anyMatch(m -> m.startsWith("server 1 -> server 2: OPEN") && m.endsWith("expected CUT"));
  }

  @Test
  void aClientPathMustAlwaysBeOpen() {
    List<Probe> seen = new ArrayList<>(probes(Cut.NONE));
    seen.set(seen.size() - 1, new Probe(0, 3, Reach.CUT, ""));
    assertThat(ConnectMatrix.mismatches(Shapes.all(IDS), withCuts(seen, Shapes.all(IDS))))
        .containsExactly("clients -> server 3: CUT, expected OPEN");
  }

  @Test
  void anErrorIsNeverWhatWasIntended() {
    List<Probe> seen = new ArrayList<>(probes(Cut.NONE));
    seen.set(0, new Probe(seen.get(0).from(), seen.get(0).to(), Reach.ERROR, "boom"));
    assertThat(ConnectMatrix.mismatches(Cut.NONE, seen)).hasSize(1);
  }

  /** What a correct network would answer under {@code cut}. */
  private static List<Probe> probes(Cut cut) {
    List<Probe> p = new ArrayList<>();
    for (int a : IDS) {
      for (int b : IDS) {
        if (a != b) {
          p.add(new Probe(a, b, cut.isCut(a, b) ? Reach.CUT : Reach.OPEN, ""));
        }
      }
    }
    for (int b : IDS) {
      p.add(new Probe(0, b, Reach.OPEN, ""));
    }
    return p;
  }

  private static List<Probe> withCuts(List<Probe> seen, Cut cut) {
    return seen.stream().map(p -> p.from() != 0 ? new Probe(p.from(), p.to(),
        cut.isCut(p.from(), p.to()) ? Reach.CUT : Reach.OPEN, "") : p).toList();
  }
}
