package io.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.metrics.NodeMetrics;
import io.zab.metrics.ZabMetrics;
import io.zab.runtime.RecordingStateMachine;
import io.zab.transport.LocalNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's monitoring settings, and what a node reports before it starts. */
class MonitoringSettingsTest {
  @TempDir
  Path dir;

  private ZabNode.Builder valid() {
    return ZabNode.builder().serverId(1).members(List.of(Member.local(1), Member.local(2), Member.local(3)))
        .dataDir(dir).transport(LocalNetwork.create()::transport).stateMachine(new RecordingStateMachine());
  }

  @Test
  void aStatusPeriodBelowOneMillisecondIsRefusedByName() {
    assertThatThrownBy(() -> valid().statusPeriod(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statusPeriod");
    assertThatThrownBy(() -> valid().statusPeriod(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statusPeriod");
    assertThatThrownBy(() -> valid().statusPeriod(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("statusPeriod");
    assertThatThrownBy(() -> valid().metrics(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("metrics");
  }

  @Test
  void aNodeNotStartedYetIsLookingWithNoLeader() {
    try (ZabNode node = valid().statusPeriod(Duration.ofMillis(100)).metrics(ZabMetrics.none()).build()) {
      ZabStatus s = node.status();
      assertThat(s.serverId()).isEqualTo(1);
      assertThat(s.role()).isEqualTo(Role.LOOKING);
      assertThat(s.leader()).isEmpty().isEqualTo(node.leader());
      assertThat(s.followers()).isEmpty();
    }
  }

  @Test
  void theNoOpMetricsRecordNothingAndNeverFail() {
    NodeMetrics m = ZabMetrics.none().forServer(1);
    m.counter("a", null, "a").increment(5);
    m.timer("b", "b").recordNanos(5);
    m.histogram("c", "bytes", "c").record(5);
    m.gauge("d", null, "d", () -> 1);
    m.tagged("peer", "2").counter("e", null, "e", () -> 1);
    m.close();
    assertThat(m).isSameAs(NodeMetrics.NONE);
  }
}
