package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Member;
import org.junit.jupiter.api.Test;

class ZabBenchServerTest {

  @Test
  void parsesMembers() {
    assertThat(ZabBenchServer.parseMembers("1=127.0.0.1:7001,2=localhost:7002"))
        .containsExactly(new Member(1, "127.0.0.1", 7001), new Member(2, "localhost", 7002));
  }

  @Test
  void badMemberSaysWhichAndHow() {
    assertThatThrownBy(() -> ZabBenchServer.parseMembers("1=127.0.0.1:7001,2:7002"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'2:7002'")
        .hasMessageContaining("<id>=<host>:<port>");
  }
}
