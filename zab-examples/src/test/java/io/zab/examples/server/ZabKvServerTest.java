package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.FileSyncer;
import io.zab.examples.client.KvClient;
import io.zab.examples.testing.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The node program as a supervisor and an operator see it: version, clear start failures, fatal exits. */
class ZabKvServerTest {
  @TempDir
  Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private ZabKvServer server(int httpPort) throws IOException {
    ZabKvServer s = new ZabKvServer();
    new CommandLine(s).parseArgs("--id", "1", "--peers", "1=127.0.0.1:" + freePort(), "--http-port",
        Integer.toString(httpPort), "--data-dir", dir.resolve("node-1").toString(), "--tick-ms", "20");
    return s;
  }

  @Test
  void dashCapitalVPrintsTheProjectVersion() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new ZabKvServer()).setOut(new PrintWriter(out, true)).execute("-V");
    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("zab-kv-server " + System.getProperty("zab.project.version") + " (Java ");
  }

  @Test
  void aTakenHttpPortFailsTheStartInOneLineBeforeZabStarts() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      ZabKvServer s = server(taken.getLocalPort());
      assertThatThrownBy(() -> s.start(b -> b, e -> { }))
          .isInstanceOf(KvNode.PortInUseException.class)
          .satisfies(e -> assertThat(ZabKvServer.startFailure(e)).startsWith("HTTP port " + taken.getLocalPort()
              + " on 127.0.0.1 is in use by another program").doesNotContain("\n"));
      assertThat(dir.resolve("node-1")).as("zab never started").doesNotExist();
    }
  }

  @Test
  void theProcessExitsWith70WhenItsNodeDiesOfAFatalErrorSoASupervisorRestartsIt() throws Exception {
    int http = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(java, "-cp", classpath, BreakableDiskServer.class.getName(), "--id", "1",
        "--peers", "1=127.0.0.1:" + freePort(), "--http-port", Integer.toString(http),
        "--data-dir", dir.resolve("node-1").toString(), "--tick-ms", "20")
        .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
    try {
      KvClient client = new KvClient("http://127.0.0.1:" + http);
      Await.until("an established epoch", Duration.ofSeconds(30), () -> client.status().flag("established"));
      assertThat(client.put("k", "v").status()).isEqualTo(200);
      Files.writeString(dir.resolve("break-disk"), "");
      try {
        client.put("k", "lost");
      } catch (RuntimeException e) {
        // the process may exit before it answers
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exits").isTrue();
      assertThat(p.exitValue()).isEqualTo(ZabKvServer.EXIT_NODE_FAILED);
      assertThat(Files.readString(dir.resolve("node.log")))
          .contains("exiting with 70 so that a supervisor restarts it");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void establishedShowsInStatusAndAFatalErrorOfTheNodeIsReportedForTheProcessToExit() throws Exception {
    AtomicBoolean diskBroken = new AtomicBoolean();
    FileSyncer disk = new FileSyncer() {
      @Override
      public void syncData(FileChannel channel) throws IOException {
        if (diskBroken.get()) {
          throw new IOException("injected fsync failure");
        }
        channel.force(false);
      }
    };
    CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    try (KvNode node = server(0).start(b -> b.fileSyncer(disk), fatal::complete)) {
      KvClient client = new KvClient("http://127.0.0.1:" + node.httpAddress().getPort());
      Await.until("an established epoch", Duration.ofSeconds(20), () -> client.status().flag("established"));
      assertThat(client.put("k", "v").status()).isEqualTo(200);
      assertThat(fatal).isNotDone();

      diskBroken.set(true);
      client.put("k", "lost");   // the fsync fails: the node stops itself

      Throwable cause = fatal.get(20, TimeUnit.SECONDS);
      assertThat(cause).hasMessageContaining("fatal error").hasRootCauseMessage("injected fsync failure");
      assertThat(ZabKvServer.EXIT_NODE_FAILED).isNotZero();
    }
  }
}
