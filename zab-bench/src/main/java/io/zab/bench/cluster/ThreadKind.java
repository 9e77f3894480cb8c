package io.zab.bench.cluster;

import java.util.List;

/**
 * What a server JVM's thread does, from its name as {@code /proc/<pid>/task/<tid>/stat} gives it (the kernel keeps
 * the first 15 characters, so {@code C2 CompilerThread0} reads {@code C2 CompilerThre}). zab's threads are
 * {@code zab-<job>-<serverId>} ({@code ZabThreads}), Netty's {@code zab-netty-<serverId>-...}.
 */
enum ThreadKind {
  PROTOCOL("protocol", "zab-protocol"),
  NETTY("netty", "zab-netty"),
  /** The writer and its segment preallocator: both are the log's disk work. */
  LOG_WRITER("log-writer", "zab-log-"),
  APPLY("apply", "zab-apply"),
  CALLBACK("callback", "zab-callback"),
  SNAPSHOT("snapshot", "zab-snapshot"),
  LOAD("load generator", "in-process-load"),
  JIT("JIT compiler", "C1 CompilerThre", "C2 CompilerThre"),
  GC("GC", "GC Thread", "G1 "),
  OTHER("other");

  private final String label;
  private final List<String> namePrefixes;

  ThreadKind(String label, String... namePrefixes) {
    this.label = label;
    this.namePrefixes = List.of(namePrefixes);
  }

  String label() {
    return label;
  }

  /** The kind of a thread called {@code comm} (possibly truncated to 15 characters). */
  static ThreadKind of(String comm) {
    for (ThreadKind kind : values()) {
      if (kind.namePrefixes.stream().anyMatch(comm::startsWith)) {
        return kind;
      }
    }
    return OTHER;
  }
}
