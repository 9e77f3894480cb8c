package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ZabKvServerOptionsTest {
  @TempDir
  Path dir;

  private ZabKvServer parse(String... extra) {
    ZabKvServer s = new ZabKvServer();
    String[] base = {"--id", "1", "--peers", "1=127.0.0.1:2881", "--http-port", "8081", "--data-dir", dir.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    new CommandLine(s).parseArgs(args);
    return s;
  }

  @Test
  void plaintextByDefaultAndTlsWithAllThreeFiles() throws Exception {
    assertThat(parse().transportConfig().tlsEnabled()).isFalse();
    Path cert = Files.writeString(dir.resolve("s.crt"), "x");
    Path key = Files.writeString(dir.resolve("s.key"), "x");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    assertThat(parse("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-ca", ca.toString())
        .transportConfig().tlsEnabled()).isTrue();
  }

  @Test
  void partialTlsOptionsAreAUsageError() {
    assertThatThrownBy(() -> parse("--tls-cert", "a.crt").transportConfig())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--tls-cert, --tls-key and --tls-ca go together");
  }
}
