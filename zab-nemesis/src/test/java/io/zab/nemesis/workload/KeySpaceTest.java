package io.zab.nemesis.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeySpaceTest {
  @Test
  void registerKeysMoveToANewGenerationAfterEachPeriod() {
    KeySpace k = new KeySpace(4, 1_000);
    assertThat(k.register(0, 1)).isEqualTo("r0-1");
    assertThat(k.register(999, 5)).isEqualTo("r0-1");
    assertThat(k.register(1_000, 3)).isEqualTo("r1-3");
    assertThat(KeySpace.setKey("c2", 17)).isEqualTo("a-c2-17");
  }
}
