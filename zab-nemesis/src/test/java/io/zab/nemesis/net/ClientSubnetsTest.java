package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClientSubnetsTest {
  @Test
  void neverPicksASubnetInUse() {
    StringBuilder used = new StringBuilder("1: lo    inet 127.0.0.1/8 scope host lo\n");
    for (int i = 0; i < 255; i++) {
      if (i != 77) {
        used.append("9: znc").append(i).append("    inet 10.78.").append(i).append(".254/24 scope global\n");
      }
    }
    for (long seed = 0; seed < 20; seed++) {
      assertThat(ClientSubnets.pick(used.toString(), new SplittableRandom(seed))).isIn(77, 255);
    }
  }

  @Test
  void allInUseIsAClearError() {
    StringBuilder used = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      used.append("inet 10.78.").append(i).append(".254/24\n");
    }
    assertThatThrownBy(() -> ClientSubnets.pick(used.toString(), new SplittableRandom(1)))
        .hasMessageContaining("nemesis-clean");
  }
}
