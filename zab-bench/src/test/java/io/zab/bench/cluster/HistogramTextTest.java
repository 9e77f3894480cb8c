package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramTextTest {

  @Test
  void aHistogramRoundTripsAsOneWordOfAResultLine() {
    Histogram h = new Histogram(3);
    for (long v = 1; v <= 5_000; v += 7) {
      h.recordValue(v);
    }
    LoadResult result = new LoadResult("zab", "in-process-slice", 1, 1024, h.getTotalCount(), 0.5, 0, 2500, 4950,
        4990, 4999);
    String line = result.toLine() + " " + HistogramText.encode(h);
    assertThat(LoadResult.parseLine(line)).isEqualTo(result);
    Histogram back = HistogramText.decodeFrom(line);
    assertThat(back).isEqualTo(h);
  }

  @Test
  void aMissingOrCorruptHistogramIsNamed() {
    assertThatThrownBy(() -> HistogramText.decodeFrom("RESULT system=zab"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no hist= field");
    assertThatThrownBy(() -> HistogramText.decodeFrom("RESULT system=zab hist=AAAA"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt hist= field");
  }

  @Test
  void anInProcessLoadHandsBackItsLatenciesAndRunsOpenLoopAtARate() throws Exception {
    String pid = Long.toString(ProcessHandle.current().pid());
    String line = InProcessLoad.runToLine("step=1x64 warmup=0 measure=200 rate=1000 pids=" + pid
        + " histogram=true", payload -> CompletableFuture.completedFuture(1L));
    LoadResult result = LoadResult.parseLine(line);
    assertThat(result.mode()).isEqualTo("open-1000/s");
    assertThat(result.errors()).isZero();
    assertThat(result.ops()).isPositive();
    assertThat(result.cost().servers()).isEqualTo(1);
    assertThat(HistogramText.decodeFrom(line).getTotalCount()).isEqualTo(result.ops());
    assertThat(InProcessLoad.runToLine("step=1x64 warmup=0 measure=50 pids=" + pid,
        payload -> CompletableFuture.completedFuture(1L))).doesNotContain(HistogramText.FIELD);
  }

  @Test
  void openLoopCountsFailedWritesAsErrorsNotOps() throws Exception {
    LoadResult result = OpenLoop.run("test", new RateStep(1000, 16, 8), (payload, done) -> done.complete(false), 0,
        100, ClosedLoop.Window.NONE);
    assertThat(result.ops()).isZero();
    assertThat(result.errors()).isPositive();
  }
}
