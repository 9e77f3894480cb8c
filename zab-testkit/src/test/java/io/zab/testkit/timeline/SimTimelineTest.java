package io.zab.testkit.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.testkit.RecordingStateMachine;
import io.zab.testkit.SimCluster;
import io.zab.testkit.timeline.TimelineEvent.Link;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** A simulated scenario's timeline holds what happened, and draws as well-formed SVG and HTML. */
class SimTimelineTest {
  @TempDir
  Path dir;

  private static SimCluster scenario() {
    SimCluster cluster = SimCluster.builder().servers(3).seed(5).stateMachine(RecordingStateMachine::new).build();
    cluster.startAll().runUntilStable();
    cluster.await(cluster.submit(1, "a".getBytes(StandardCharsets.UTF_8)));
    cluster.partition(Set.of(3L), Set.of(1L, 2L)).runUntilLeaderElected();
    cluster.heal().runUntilStable();
    cluster.crash(1).runUntilLeaderElected();
    cluster.restart(1).runUntilStable();
    return cluster;
  }

  @Test
  void recordsStartsElectionsCutsHealsCrashesAndCommits() {
    Timeline t = scenario().timeline();
    List<TimelineEvent> e = t.events();

    assertThat(t.servers()).containsExactly(1L, 2L, 3L);
    assertThat(e).filteredOn(TimelineEvent.Started.class::isInstance).hasSize(4);          // 1, 2, 3, then 1 again
    assertThat(e).contains(new TimelineEvent.Stopped(timeOf(e, TimelineEvent.Stopped.class), 1, true));
    assertThat(e).filteredOn(x -> x instanceof TimelineEvent.RoleChanged r && r.role() == Role.LEADING)
        .extracting(x -> ((TimelineEvent.RoleChanged) x).server()).startsWith(3L, 2L);
    assertThat(e).filteredOn(TimelineEvent.NetworkChanged.class::isInstance)
        .extracting(x -> ((TimelineEvent.NetworkChanged) x).cut())
        .containsExactly(Set.of(Link.of(3, 1), Link.of(3, 2)), Set.of());
    assertThat(e).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(TimelineEvent.Committed.class,
        c -> assertThat(c.zxid().counter()).isPositive()));
    assertThat(e).extracting(TimelineEvent::timeMicros).isSorted();
    assertThat(t.text()).contains("s3 leads epoch 1").contains("s1 crashed").contains("network: heal");
  }

  @Test
  void drawsWellFormedSvgWithOneLanePerServerAndAnElectionLine() throws Exception {
    Timeline t = scenario().timeline();
    String svg = t.svg();
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg).contains(">s1</text>", ">s2</text>", ">s3</text>")
        .contains("epoch 1: s3 elected").contains("s1 crashed").contains("s3 cut off from s1,s2")
        .contains("leader e1");
    Path html = t.writeHtml(dir.resolve("sub/t.html"));
    assertThat(Files.readString(html)).startsWith("<!doctype html>").contains("<svg").contains("s1 crashed");
  }

  private static long timeOf(List<TimelineEvent> e, Class<?> type) {
    return e.stream().filter(type::isInstance).findFirst().orElseThrow().timeMicros();
  }
}
