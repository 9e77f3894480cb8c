package io.zab.nemesis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.net.Cut;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesTest {
  private static final List<Integer> IDS = List.of(1, 2, 3);

  @Test
  void shapesRelativeToTheLeader() {
    assertThat(Shapes.cut(Shape.ISOLATE_LEADER, 5, 2, IDS).toString()).isEqualTo("[1-2, 2-3]");
    assertThat(Shapes.cut(Shape.ISOLATE_FOLLOWER, 0, 2, IDS).toString()).isEqualTo("[1-2, 1-3]");
    assertThat(Shapes.cut(Shape.ISOLATE_FOLLOWER, 1, 2, IDS).toString()).isEqualTo("[1-3, 2-3]");
    assertThat(Shapes.cut(Shape.BRIDGE, 1, 2, IDS).toString()).isEqualTo("[1-3]"); // 2 sees both, they not each other
    assertThat(Shapes.cut(Shape.ALL_CUT, 0, 2, IDS).toString()).isEqualTo("[1-2, 1-3, 2-3]");
  }

  @Test
  void withoutALeaderTargetsStillResolve() {
    assertThat(Shapes.target(true, 4, null, IDS)).isEqualTo(2);
    assertThat(Shapes.cut(Shape.ISOLATE_LEADER, 0, null, IDS)).isEqualTo(Shapes.isolate(1, IDS));
  }

  @Test
  void aBridgeLeavesTheBridgeConnectedToEveryone() {
    Cut b = Shapes.bridge(3, IDS);
    assertThat(b.isCut(3, 1)).isFalse();
    assertThat(b.isCut(3, 2)).isFalse();
    assertThat(b.isCut(1, 2)).isTrue();
    assertThat(b.blockedFrom(3)).isEmpty();
  }
}
