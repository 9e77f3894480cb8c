package io.zab.testkit.junit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command that re-runs one test method with a given simulation seed, from the Maven build the test runs
 * in: {@code ./mvnw -pl MODULE -am verify -Dtest='Class#method' -Dzab.sim.seed=S
 * -Dsurefire.failIfNoSpecifiedTests=false}, run from the directory holding {@code mvnw} (or plain
 * {@code mvn} in the module when there is no wrapper).
 */
final class ReplayCommand {
  private ReplayCommand() {}

  /**
   * @param moduleDir the directory the test runs in (surefire runs tests in the module's directory)
   */
  static String of(Path moduleDir, String testClass, String method, long seed) {
    String select = "-Dtest='" + testClass + "#" + method + "' -Dzab.sim.seed=" + seed;
    Path module = moduleDir.toAbsolutePath().normalize();
    for (Path dir = module; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        String rel = dir.relativize(module).toString();
        String projects = rel.isEmpty() ? "" : " -pl " + rel + " -am";
        return "(cd " + dir + " && ./mvnw" + projects + " verify " + select + " -Dsurefire.failIfNoSpecifiedTests=false)";
      }
      if (!Files.isRegularFile(dir.resolve("pom.xml"))) {
        break;
      }
    }
    return "(cd " + module + " && mvn verify " + select + ")";
  }
}
