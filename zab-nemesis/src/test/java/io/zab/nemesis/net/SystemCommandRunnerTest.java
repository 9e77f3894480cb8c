package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemCommandRunnerTest {
  private final SystemCommandRunner runner = new SystemCommandRunner();

  @Test
  void reportsExitCodeAndOutput() {
    CommandRunner.Result r = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 4"), Duration.ofSeconds(30));
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.output()).contains("out").contains("err");
    assertThatThrownBy(() -> runner.check(List.of("sh", "-c", "echo nope; exit 1")))
        .hasMessageContaining("sh -c echo nope; exit 1 -> exit 1: nope");
  }

  @Test
  void aCommandOutOfTimeIsKilledAndReportedAs124() {
    CommandRunner.Result r = runner.run(List.of("sleep", "30"), Duration.ofMillis(200));
    assertThat(r.exitCode()).isEqualTo(SystemCommandRunner.TIMED_OUT);
  }

  @Test
  void aMissingProgramIsAResultNotACrash() {
    assertThat(runner.run(List.of("no-such-program-zab"), Duration.ofSeconds(5)).exitCode()).isEqualTo(127);
  }
}
