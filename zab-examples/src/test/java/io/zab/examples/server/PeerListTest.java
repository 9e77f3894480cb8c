package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerListTest {

  @Test
  void parsesIdsHostsAndPorts() {
    assertThat(PeerList.parse("1=127.0.0.1:2881, 2=host-b:2882,3=[::1]:2883")).containsExactly(
        new Member(1, "127.0.0.1", 2881), new Member(2, "host-b", 2882), new Member(3, "[::1]", 2883));
  }

  @Test
  void badEntriesAreNamedWithTheirPosition() {
    assertThatThrownBy(() -> PeerList.parse("1=a:1,2=b")).hasMessage("--peers entry 2 '2=b': expected ID=HOST:PORT");
    assertThatThrownBy(() -> PeerList.parse("x=a:1")).hasMessageStartingWith("--peers entry 1 'x=a:1': For input string");
    assertThatThrownBy(() -> PeerList.parse("1=a:1,1=b:2")).hasMessage("--peers entry 2 '1=b:2': server id 1 appears twice");
    assertThatThrownBy(() -> PeerList.parse("1=a:70000")).hasMessage("--peers entry 1 '1=a:70000': port out of range for server 1: 70000");
  }

  @Test
  void singleEntryIsAList() {
    assertThat(PeerList.parse("7=h:1")).isEqualTo(List.of(new Member(7, "h", 1)));
  }
}
