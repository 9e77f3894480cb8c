package io.zab.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./zab-cluster start} refuses to start when a port it needs is taken (by another cluster, say),
 * instead of waiting on that program and reporting its leader as this cluster's. The check runs before the
 * script builds anything, so this test runs the real script.
 */
class ZabClusterScriptTest {
  @TempDir
  Path data;

  @Test
  void startFailsClearlyWhenAPortIsInUseAndStartsNoNode() throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("zab-cluster");
    assertThat(script).isRegularFile();
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress("127.0.0.1", 0));
      int taken = other.getLocalPort();
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(true);
      pb.environment().put("ZAB_HTTP_BASE", Integer.toString(taken - 2));   // node 2's HTTP port is the taken one
      pb.environment().put("ZAB_PEER_BASE", Integer.toString(freePort() - 1));
      pb.environment().put("ZAB_DATA", data.toString());
      Process p = pb.start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(p.exitValue()).as(output).isEqualTo(1);
      assertThat(output).contains("cannot start: port(s) ").contains(" " + taken + " ").contains("in use")
          .contains("ZAB_HTTP_BASE=").doesNotContain("leader:");
      try (Stream<Path> files = Files.list(data)) {
        assertThat(files.filter(f -> f.toString().endsWith(".pid"))).as("no node started").isEmpty();
      }
    }
  }

  @Test
  void addChecksTheNewNodesPortsLikeStartAndRefusesABadId() throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("zab-cluster");
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress("127.0.0.1", 0));
      int taken = other.getLocalPort();
      Run add = run(script, taken - 4, "add", "4");   // node 4's HTTP port is the taken one
      assertThat(add.code()).as(add.output()).isEqualTo(1);
      assertThat(add.output()).contains("cannot start: port(s) ").contains(" " + taken + " ").contains("in use");
      try (Stream<Path> files = Files.list(data)) {
        assertThat(files.filter(f -> f.toString().endsWith(".pid"))).as("no node started").isEmpty();
      }
      Run bad = run(script, taken - 4, "add", "four");
      assertThat(bad.code()).as(bad.output()).isEqualTo(2);
      assertThat(bad.output()).contains("usage: ./zab-cluster add ID [--observer]");
    }
  }

  private record Run(int code, String output) {}

  private Run run(Path script, int httpBase, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ZAB_HTTP_BASE", Integer.toString(httpBase));
    pb.environment().put("ZAB_PEER_BASE", Integer.toString(freePort() - 4));
    pb.environment().put("ZAB_DATA", data.toString());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
