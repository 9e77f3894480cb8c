package io.zab.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.zab.testkit.NodeCluster;
import io.zab.testkit.SimCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * {@link ZabTest} runs sample tests (the nested classes below, which surefire does not run by themselves)
 * through JUnit's own engine: clusters are injected with the annotation's settings and closed, and a failed
 * test gets its timeline written and, for a simulation, its seed and replay command attached.
 */
class ZabExtensionTest {
  @TempDir
  Path reports;

  static final AtomicReference<Object> seen = new AtomicReference<>();

  /** What the extension printed during the last {@link #run}. */
  private String printed = "";

  private EngineExecutionResults run(Class<?> type, String method, String... parameters) {
    java.lang.reflect.Method m = java.util.Arrays.stream(type.getDeclaredMethods())
        .filter(x -> x.getName().equals(method)).findFirst().orElseThrow();
    EngineTestKit.Builder b = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(type, m))
        .configurationParameter(ZabExtension.TIMELINE_DIR, reports.toString());
    for (int i = 0; i < parameters.length; i += 2) {
      b.configurationParameter(parameters[i], parameters[i + 1]);
    }
    java.io.PrintStream console = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      return b.execute();
    } finally {
      System.setOut(console);
      printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static Throwable failureOf(EngineExecutionResults r) {
    List<Event> failed = r.testEvents().failed().list();
    assertThat(failed).hasSize(1);
    return failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
  }

  @ZabTest(servers = 3)
  static class NodeSamples {
    @org.junit.jupiter.api.Test
    void failsAfterAnElection(NodeCluster cluster) {
      seen.set(cluster);
      cluster.write(cluster.awaitLeader(), "x");
      throw new AssertionError("the sample fails on purpose");
    }

    @org.junit.jupiter.api.Test
    void passes(NodeCluster cluster) {
      seen.set(cluster.dataDir(1));
      cluster.awaitLeader();
    }

    @org.junit.jupiter.api.Test
    @ZabTest(servers = 5, start = false)
    void methodSettingsWin(NodeCluster cluster) {
      seen.set(cluster.size() + " " + cluster.runningIds());
    }
  }

  @ZabTest(seed = 7)
  static class SimSamples {
    @org.junit.jupiter.api.Test
    void failsInASimulation(SimCluster cluster) {
      cluster.runUntilStable();
      throw new AssertionError("the simulated sample fails on purpose");
    }

    @org.junit.jupiter.api.Test
    void recordsItsSeed(SimCluster cluster) {
      seen.set(cluster.seed());
    }
  }

  @Test
  void aFailedNodeClusterTestWritesItsTimelineAndNamesTheFile() throws Exception {
    Throwable failure = failureOf(run(NodeSamples.class, "failsAfterAnElection"));

    assertThat(failure).hasMessage("the sample fails on purpose");
    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(ZabExtension.ZabTestReport.class);
    String report = failure.getSuppressed()[0].getMessage();
    Path file = reports.resolve(NodeSamples.class.getName() + ".failsAfterAnElection.html");
    assertThat(report).startsWith("zab: NodeSamples.failsAfterAnElection failed")
        .contains("timeline: " + file.toUri()).contains("servers: s1=");
    assertThat(Files.readString(file)).contains("NodeCluster of NodeSamples.failsAfterAnElection")
        .contains("the sample fails on purpose").contains("<svg").contains("leads epoch");
    assertThat(((NodeCluster) seen.get()).runningIds()).as("closed after the test").isEmpty();
    assertThat(printed).as("printed for the console").contains(report);
  }

  @Test
  void aPassingTestWritesNothingAndItsClusterIsClosedAndDeleted() {
    EngineExecutionResults r = run(NodeSamples.class, "passes");
    assertThat(r.testEvents().succeeded().count()).isEqualTo(1);
    assertThat(reports).isEmptyDirectory();
    assertThat(printed).isEmpty();
    assertThat((Path) seen.get()).doesNotExist();
  }

  @Test
  void aMethodsAnnotationOverridesTheClasss() {
    assertThat(run(NodeSamples.class, "methodSettingsWin").testEvents().succeeded().count()).isEqualTo(1);
    assertThat(seen.get()).isEqualTo("5 []");
  }

  @Test
  void aFailedSimulationNamesItsSeedAndTheCommandThatReplaysIt() throws Exception {
    Throwable failure = failureOf(run(SimSamples.class, "failsInASimulation"));

    String report = failure.getSuppressed()[0].getMessage();
    assertThat(report).contains("seed: 7")
        .contains("-Dtest='" + SimSamples.class.getName() + "#failsInASimulation' -Dzab.sim.seed=7")
        .contains("./mvnw -pl zab-testkit -am verify");
    Path file = reports.resolve(SimSamples.class.getName() + ".failsInASimulation.sim.html");
    assertThat(Files.readString(file)).contains("SimCluster of SimSamples.failsInASimulation").contains("<svg")
        .contains("s3 leads epoch 1");
  }

  @Test
  void theSeedPropertyOverridesTheAnnotationsSeed() {
    run(SimSamples.class, "recordsItsSeed");
    assertThat(seen.get()).isEqualTo(7L);
    run(SimSamples.class, "recordsItsSeed", ZabExtension.SEED, "99");
    assertThat(seen.get()).isEqualTo(99L);
  }
}
