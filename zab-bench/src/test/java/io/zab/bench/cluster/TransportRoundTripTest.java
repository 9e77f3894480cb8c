package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TransportRoundTripTest {

  @Test
  void parentOptionsHaveDefaults() {
    RoundTripOptions o = RoundTripOptions.parse(new String[] {"--answer", "loop", "--slices", "3"});
    assertThat(o).isEqualTo(new RoundTripOptions(1024, 3, 1000, "loop", 0, 0));
  }

  @Test
  void childNeedsBothPorts() {
    assertThat(RoundTripOptions.parse(new String[] {"--serve", "4000", "--peer", "4001"}).servePort()).isEqualTo(4000);
    assertThatThrownBy(() -> RoundTripOptions.parse(new String[] {"--serve", "4000"}))
        .hasMessageContaining("--serve and --peer");
  }

  @Test
  void contextSwitchesAreTheVoluntaryField() {
    String status = "Name:\tjava\nvoluntary_ctxt_switches:\t1234\nnonvoluntary_ctxt_switches:\t99\n";
    assertThat(ThreadCpu.voluntarySwitches(status)).isEqualTo(1234);
    assertThat(ContextSwitches.voluntary(ProcessHandle.current().pid())).isPositive();
  }

  @Test
  void unknownAnswerIsRefused() {
    assertThatThrownBy(() -> RoundTripOptions.parse(new String[] {"--answer", "fsync"}))
        .hasMessageContaining("--answer");
  }

  @Test
  void reportShowsSliceMediansAndPercentilesOfBoth() {
    Histogram transport = new Histogram(3);
    Histogram raw = new Histogram(3);
    for (int i = 1; i <= 100; i++) {
      transport.recordValue(100 + i);
      raw.recordValue(i);
    }
    String text = new RoundTripReport(new RoundTripOptions(1024, 2, 500, "thread", 0, 0),
        List.of(new long[] {150, 50}, new long[] {151, 51}), transport, raw, new long[] {600, 200}, "1.0 -> 2.0").text();
    assertThat(text).contains("answered from another thread").contains("150/50 151/51")
        .containsPattern("netty transport +n=100 p50=150 p90=190 p99=199 us, 6.00 voluntary context switches per round trip")
        .containsPattern("raw blocking socket +n=100 p50=50 p90=90 p99=99 us, 2.00 voluntary");
  }
}
