package io.zab.nemesis.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether this host can run the suite: root, network namespaces, veth pairs and tc's HTB and u32. Tries
 * each on a scratch namespace (removed again) rather than guessing from versions.
 */
public final class Preflight {
  private Preflight() {}

  /** Why the suite cannot run here, or empty if it can. */
  public static Optional<String> problem(CommandRunner runner, String runId) {
    String uid = uid();
    if (!"0".equals(uid)) {
      return Optional.of("needs root for network namespaces and tc (uid is " + uid + ")");
    }
    String ns = "zn-" + runId + "-probe";
    String veth = "zv" + runId + "x";
    List<List<String>> tries = List.of(
        List.of("ip", "netns", "add", ns),
        List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "y"),
        List.of("ip", "link", "set", veth + "y", "netns", ns),
        List.of("tc", "-n", ns, "qdisc", "add", "dev", veth + "y", "root", "handle", "1:", "htb", "default", "1"),
        List.of("tc", "-n", ns, "class", "add", "dev", veth + "y", "parent", "1:", "classid", "1:2", "htb", "rate",
            "10gbit", "quantum", "60000"),
        List.of("tc", "-n", ns, "qdisc", "add", "dev", veth + "y", "parent", "1:2", "handle", "20:", "pfifo", "limit", "0"),
        List.of("tc", "-n", ns, "filter", "add", "dev", veth + "y", "parent", "1:", "protocol", "ip", "prio", "11",
            "u32", "match", "ip", "dst", "10.77.1.1/32", "flowid", "1:2"),
        List.of("ip", "netns", "exec", ns, "timeout", "1", "bash", "-c", "true"));
    try {
      for (List<String> c : tries) {
        CommandRunner.Result r = runner.run(c, Duration.ofSeconds(20));
        if (!r.ok()) {
          return Optional.of("this host cannot " + String.join(" ", c.subList(0, Math.min(4, c.size())))
              + " (" + r.output().strip() + ")");
        }
      }
      return Optional.empty();
    } finally {
      runner.run(List.of("ip", "netns", "del", ns), Duration.ofSeconds(20));
      runner.run(List.of("ip", "link", "del", veth), Duration.ofSeconds(20));
    }
  }

  private static String uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[1]; // real, effective, ...: the effective uid
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }
}
