package io.zab.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  @TempDir
  Path dir;

  @Test
  void fromAModuleOfAWrappedBuildItRunsTheWrapperAtTheRootForThatModule() throws Exception {
    Files.writeString(dir.resolve("mvnw"), "");
    Files.writeString(dir.resolve("pom.xml"), "");
    Path module = Files.createDirectories(dir.resolve("services/orders"));
    Files.writeString(dir.resolve("services/pom.xml"), "");
    Files.writeString(module.resolve("pom.xml"), "");
    assertThat(ReplayCommand.of(module, "com.acme.OrdersTest", "failover", 42)).isEqualTo("(cd " + dir
        + " && ./mvnw -pl services/orders -am verify -Dtest='com.acme.OrdersTest#failover' -Dzab.sim.seed=42"
        + " -Dsurefire.failIfNoSpecifiedTests=false)");
  }

  @Test
  void withoutAWrapperItRunsMavenInTheModule() throws Exception {
    Files.writeString(dir.resolve("pom.xml"), "");
    assertThat(ReplayCommand.of(dir, "T", "m", 3)).isEqualTo("(cd " + dir + " && mvn verify -Dtest='T#m' -Dzab.sim.seed=3)");
  }
}
