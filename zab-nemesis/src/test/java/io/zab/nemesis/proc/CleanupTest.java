package io.zab.nemesis.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupTest {
  @Test
  void runsLastRegisteredFirstEachOnceAndGoesOnAfterAFailure() {
    Cleanup cleanup = new Cleanup();
    List<String> ran = new ArrayList<>();
    cleanup.register("network", () -> {
      ran.add("network");
      return List.of();
    });
    cleanup.register("broken", () -> {
      ran.add("broken");
      throw new IllegalStateException("boom");
    });
    cleanup.register("servers", () -> {
      ran.add("servers");
      return List.of("pid 7 survived");
    });
    assertThat(cleanup.done()).isFalse();
    assertThat(cleanup.runAll()).containsExactly("servers: pid 7 survived", "broken: java.lang.IllegalStateException: boom");
    assertThat(ran).containsExactly("servers", "broken", "network");
    assertThat(cleanup.done()).isTrue();
    assertThat(cleanup.runAll()).isEmpty(); // the shutdown hook after the finally: nothing twice
    assertThat(ran).hasSize(3);
  }
}
