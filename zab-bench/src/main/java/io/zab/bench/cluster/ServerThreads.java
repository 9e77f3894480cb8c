package io.zab.bench.cluster;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one server's threads used in a measurement window, by kind ({@link ThreadCpu#byKind}).
 *
 * @param role   "leader" (the process the in-process load ran in) or "follower1", "follower2", …
 * @param byKind CPU nanoseconds and voluntary context switches per kind; kinds that used nothing may be absent
 */
record ServerThreads(String role, Map<ThreadKind, ThreadCpu.Use> byKind) {

  ServerThreads {
    byKind = Map.copyOf(byKind);
  }

  ThreadCpu.Use of(ThreadKind kind) {
    return byKind.getOrDefault(kind, new ThreadCpu.Use(0, 0));
  }

  long totalCpuNanos() {
    return byKind.values().stream().mapToLong(ThreadCpu.Use::cpuNanos).sum();
  }

  /** The servers as one result-line value: {@code role:KIND:cpuNanos:switches} joined by commas, no spaces. */
  static String encode(List<ServerThreads> servers) {
    List<String> parts = new ArrayList<>();
    for (ServerThreads s : servers) {
      for (ThreadKind kind : ThreadKind.values()) {
        ThreadCpu.Use use = s.byKind().get(kind);
        if (use != null) {
          parts.add(s.role() + ":" + kind.name() + ":" + use.cpuNanos() + ":" + use.voluntarySwitches());
        }
      }
    }
    return String.join(",", parts);
  }

  /** The inverse of {@link #encode}, servers in their first appearance's order. */
  static List<ServerThreads> decode(String text) {
    Map<String, Map<ThreadKind, ThreadCpu.Use>> roles = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      String[] f = part.split(":");
      if (f.length != 4) {
        throw new IllegalArgumentException("thread use '" + part + "' is not role:KIND:cpuNanos:switches");
      }
      roles.computeIfAbsent(f[0], r -> new EnumMap<>(ThreadKind.class))
          .put(ThreadKind.valueOf(f[1]), new ThreadCpu.Use(Long.parseLong(f[2]), Long.parseLong(f[3])));
    }
    List<ServerThreads> servers = new ArrayList<>();
    roles.forEach((role, kinds) -> servers.add(new ServerThreads(role, kinds)));
    return servers;
  }
}
