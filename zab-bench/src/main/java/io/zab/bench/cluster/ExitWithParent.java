package io.zab.bench.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Makes a child JVM die with its parent: the benchmark keeps each child's stdin as a pipe and never writes
 * to it, so end-of-stream means the orchestrator is gone (even after kill -9), and the child halts.
 * Also a launcher: {@code ExitWithParent <mainClass> args...} starts a foreign main (ZooKeeper's
 * QuorumPeerMain) under this watchdog.
 */
public final class ExitWithParent {

  private ExitWithParent() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: ExitWithParent <mainClass> [args...]");
    }
    watchStdin();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  /** Starts a daemon thread that halts the JVM when stdin reaches end-of-stream. */
  public static void watchStdin() {
    Thread watcher =
        new Thread(
            () -> {
              InputStream in = System.in;
              try {
                while (in.read() >= 0) {
                  // the parent never writes; ignore anything that arrives
                }
              } catch (IOException ignored) {
                // a broken pipe means the same as end-of-stream
              }
              Runtime.getRuntime().halt(3);
            },
            "exit-with-parent");
    watcher.setDaemon(true);
    watcher.start();
  }
}
