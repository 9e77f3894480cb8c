package io.zab.nemesis.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One run's network, live: built from a {@link NetPlan}, cut and healed with tc filters ({@link TcRules}),
 * checked with a {@link ConnectMatrix}, and removed with every process still inside it.
 */
public final class RunNetwork {
  private static final Path SUBNET_LOCK = Path.of("/tmp/zab-nemesis-subnets.lock");

  private final CommandRunner runner;
  private final NetPlan plan;
  private final ConnectMatrix matrix;
  private Cut current = Cut.NONE;

  private RunNetwork(CommandRunner runner, NetPlan plan) {
    this.runner = runner;
    this.plan = plan;
    this.matrix = new ConnectMatrix(runner, plan, Duration.ofMillis(600));
  }

  /**
   * Builds the network for {@code nodes} servers. The client subnet is chosen, and its address added, under a
   * host-wide file lock so that two runs starting together cannot pick the same one. {@code onCreated} is
   * called before the first command, so the caller can register the teardown even if building fails half-way.
   */
  public static RunNetwork create(CommandRunner runner, String runId, int nodes, SplittableRandom random,
      Consumer<RunNetwork> onCreated) {
    try (FileChannel ch = FileChannel.open(SUBNET_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      String addrs = runner.check(List.of("ip", "-4", "-o", "addr", "show")).output();
      NetPlan plan = new NetPlan(runId, nodes, ClientSubnets.pick(addrs, random));
      RunNetwork net = new RunNetwork(runner, plan);
      onCreated.accept(net);
      for (List<String> c : NetSetup.setup(plan)) {
        runner.check(c);
      }
      return net;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + SUBNET_LOCK + ": " + e.getMessage(), e);
    }
  }

  public NetPlan plan() {
    return plan;
  }

  public synchronized Cut current() {
    return current;
  }

  /** Moves the network to {@code cut} (tc filters added and removed as needed). */
  public synchronized void apply(Cut cut) {
    for (List<String> c : TcRules.changes(plan, current, cut)) {
      runner.check(c);
    }
    current = cut;
  }

  /** Checks the live network against the current cut; throws {@link ConnectMatrix.PartitionMismatchException}. */
  public List<ConnectMatrix.Probe> verify() {
    try {
      return matrix.verify(current());
    } catch (ConnectMatrix.PartitionMismatchException e) {
      // A loaded host may start a probe too late to answer within its timeout: look once more before failing.
      return matrix.verify(current());
    }
  }

  /**
   * Kills every process in the run's namespaces, then removes the namespaces, links and bridges. Tolerates
   * what is already gone; returns what could not be removed (empty when everything went).
   */
  public List<String> teardown() {
    List<String> problems = new ArrayList<>();
    for (int n : plan.ids()) {
      String ns = plan.namespace(n);
      for (int attempt = 0; attempt < 50; attempt++) {
        List<String> pids = pids(ns);
        if (pids.isEmpty()) {
          break;
        }
        for (String pid : pids) {
          runner.run(List.of("kill", "-KILL", pid), Duration.ofSeconds(5));
        }
        sleepQuietly(100);
      }
      List<String> left = pids(ns);
      if (!left.isEmpty()) {
        problems.add("processes " + left + " survive in " + ns);
      }
    }
    for (List<String> c : NetSetup.teardown(plan)) {
      CommandRunner.Result r = runner.run(c, Duration.ofSeconds(30));
      if (!r.ok() && !gone(r.output())) {
        problems.add(r.describe());
      }
    }
    matrix.close();
    return problems;
  }

  private List<String> pids(String ns) {
    CommandRunner.Result r = runner.run(List.of("ip", "netns", "pids", ns), Duration.ofSeconds(10));
    if (!r.ok()) {
      return List.of(); // the namespace does not exist (any more)
    }
    return r.output().lines().map(String::strip).filter(s -> s.matches("\\d+")).toList();
  }

  /** ip's ways of saying the thing to delete is not there. */
  static boolean gone(String output) {
    return output.contains("Cannot find device") || output.contains("No such file or directory")
        || output.contains("does not exist") || output.contains("Cannot open network namespace");
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
