package io.zab.nemesis.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.net.SystemCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With ordinary processes standing in for servers (no root needed). */
class ServerProcessTest {
  @TempDir
  Path dir;

  @Test
  void anExitNobodyAskedForIsReported() throws Exception {
    CompletableFuture<String> exit = new CompletableFuture<>();
    ServerProcess p = new ServerProcess(2, List.of("sh", "-c", "echo started; exit 3"), dir.resolve("s.log"),
        new SystemCommandRunner(), exit::complete);
    p.start();
    assertThat(exit.get(30, TimeUnit.SECONDS)).contains("server 2").contains("exited with code 3");
    assertThat(Files.readString(dir.resolve("s.log"))).contains("started");
    assertThat(p.running()).isFalse();
  }

  @Test
  void killPauseResumeAndRestartAreNotUnexpected() throws Exception {
    CompletableFuture<String> exit = new CompletableFuture<>();
    ServerProcess p = new ServerProcess(1, List.of("sleep", "60"), dir.resolve("s.log"), new SystemCommandRunner(),
        exit::complete);
    p.start();
    assertThat(p.running()).isTrue();
    p.pause();
    assertThat(p.paused()).isTrue();
    p.resume();
    assertThat(p.paused()).isFalse();
    p.kill();
    assertThat(p.running()).isFalse();
    p.start();
    assertThat(p.running()).isTrue();
    p.kill();
    assertThat(exit).isNotDone();
  }

  @Test
  void theServerRunsInItsNamespace() {
    assertThat(ServerProcess.command("zn-a-1", "/jdk/bin/java", "cp", List.of("-Xmx1g"), List.of("--id", "1")))
        .containsExactly("ip", "netns", "exec", "zn-a-1", "/jdk/bin/java", "-Xmx1g", "-cp", "cp",
            "io.zab.examples.server.ZabKvServer", "--id", "1");
  }
}
