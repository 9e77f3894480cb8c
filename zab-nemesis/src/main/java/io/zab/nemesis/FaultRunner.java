package io.zab.nemesis;

import io.zab.examples.client.KvClient;
import io.zab.nemesis.cluster.Cluster;
import io.zab.nemesis.fault.Fault;
import io.zab.nemesis.fault.Shapes;
import io.zab.nemesis.net.Cut;
import io.zab.nemesis.net.RunNetwork;
import io.zab.nemesis.proc.ServerProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Carries out one planned {@link Fault} on the live cluster and heals it: cuts (each one checked with the
 * connect matrix while it holds), kills and restarts, pauses and resumes, the snapshot catch-up, and the
 * membership faults ({@link MembershipFaults}).
 */
final class FaultRunner {
  static final String SNAPSHOT_INSTALLED = "installed the leader's snapshot";
  private static final String FILLER_KEY = "nemesis-fill-";

  private final Cluster cluster;
  private final RunNetwork net;
  private final Progress progress;
  private final MembershipFaults membership;
  /** After a snapshot catch-up: which server must have installed a snapshot, and where its log stood before. */
  private int snapshotServer;
  private long snapshotLogOffset = -1;

  FaultRunner(Cluster cluster, Progress progress) {
    this.cluster = cluster;
    this.net = cluster.network();
    this.progress = progress;
    this.membership = new MembershipFaults(cluster, progress);
  }

  MembershipFaults membership() {
    return membership;
  }

  FaultRecord run(int round, Fault fault, Integer leader) throws InterruptedException {
    if (fault instanceof Fault.Partition p) {
      long start = cluster.clock().micros();
      String what = Shapes.describe(p.shape(), p.pick(), leader, cluster.ids()) + " for " + p.holdMillis() + " ms";
      progress.log("round %d: %s", round, what);
      hold(Shapes.cut(p.shape(), p.pick(), leader, cluster.ids()), p.holdMillis());
      long heal = heal();
      return new FaultRecord(round, p.kind(), what, start, heal, 1, 0, 0, "");
    }
    if (fault instanceof Fault.Flap f) {
      long start = cluster.clock().micros();
      progress.log("round %d: flapping, %d partitions", round, f.steps().size());
      StringBuilder what = new StringBuilder("flap:");
      Integer current = leader;
      for (int i = 0; i < f.steps().size(); i++) {
        Fault.Partition step = f.steps().get(i);
        Integer now = cluster.leader();
        current = now != null ? now : current;
        String d = Shapes.describe(step.shape(), step.pick(), current, cluster.ids());
        what.append(' ').append(d).append(' ').append(step.holdMillis()).append(" ms");
        hold(Shapes.cut(step.shape(), step.pick(), current, cluster.ids()), step.holdMillis());
        long gap = f.gapsMillis().get(i);
        if (gap > 0 && i < f.steps().size() - 1) {
          long t = System.nanoTime();
          net.apply(Cut.NONE);
          what.append(", healed ").append(gap).append(" ms;");
          sleepUntil(t + TimeUnit.MILLISECONDS.toNanos(gap));
        } else {
          what.append(';');
        }
      }
      long heal = heal();
      progress.log("round %d: %s", round, what);
      return new FaultRecord(round, f.kind(), what.toString(), start, heal, f.steps().size(), 0, 0, "");
    }
    if (fault instanceof Fault.Kill k) {
      int target = Shapes.target(k.leader(), k.pick(), leader, cluster.ids());
      ServerProcess s = cluster.server(target);
      return processFault(round, k.kind(), "kill -9 server " + target + role(target, leader) + ", restart after "
          + k.downMillis() + " ms", s::kill, s::start, k.downMillis(), true);
    }
    if (fault instanceof Fault.Pause p) {
      int target = Shapes.target(p.leader(), p.pick(), leader, cluster.ids());
      ServerProcess s = cluster.server(target);
      return processFault(round, p.kind(), "SIGSTOP server " + target + role(target, leader) + " for "
          + p.stoppedMillis() + " ms", s::pause, s::resume, p.stoppedMillis(), false);
    }
    if (fault instanceof Fault.SnapshotCatchUp c) {
      return snapshotCatchUp(round, c, leader);
    }
    if (fault instanceof Fault.TransferLeader t) {
      return membership.transfer(round, t);
    }
    if (fault instanceof Fault.RemoveAndAdd r) {
      return membership.removeAndAdd(round, r);
    }
    throw new IllegalArgumentException("no runner for " + fault);
  }

  /** Does {@code act} to a server, waits {@code millis}, undoes it; the undo is the heal. */
  private FaultRecord processFault(int round, String kind, String what, Runnable act, Runnable undo, long millis,
      boolean kill) throws InterruptedException {
    progress.log("round %d: %s", round, what);
    long start = cluster.clock().micros();
    long t = System.nanoTime();
    act.run();
    sleepUntil(t + TimeUnit.MILLISECONDS.toNanos(millis));
    undo.run();
    return new FaultRecord(round, kind, what, start, cluster.clock().micros(), 0, kill ? 1 : 0, kill ? 0 : 1, "");
  }

  private static String role(int target, Integer leader) {
    return leader != null && target == leader ? " (leader)" : "";
  }

  private FaultRecord snapshotCatchUp(int round, Fault.SnapshotCatchUp c, Integer leader) throws InterruptedException {
    int follower = Shapes.target(false, c.pick(), leader, cluster.ids());
    int writeVia = leader != null ? leader : cluster.ids().stream().filter(i -> i != follower).findFirst().orElseThrow();
    String what = "isolate follower " + follower + " during " + c.fillerWrites() + " writes of "
        + c.fillerBytes() / 1024 + " KiB via server " + writeVia + " (catch up by snapshot)";
    progress.log("round %d: %s", round, what);
    snapshotServer = follower;
    snapshotLogOffset = size(cluster.server(follower).log());
    long start = cluster.clock().micros();
    Cut cut = Shapes.isolate(follower, cluster.ids());
    net.apply(cut);
    net.verify();
    KvClient kv = cluster.client(writeVia);
    String pad = "x".repeat(c.fillerBytes() - 32);
    int ok = 0;
    for (int i = 0; i < c.fillerWrites(); i++) {
      try {
        if (kv.put(FILLER_KEY + (i % 4), round + "." + i + "." + pad).status() == 200) {
          ok++;
        }
      } catch (RuntimeException e) {
        // filler only: its outcome is not checked
      }
    }
    net.verify();
    long heal = heal();
    return new FaultRecord(round, c.kind(), what, start, heal, 1, 0, 0, ok + " of " + c.fillerWrites() + " filler writes ok");
  }

  /**
   * Once everyone serves again after a snapshot catch-up: whether the cut-off follower installed a snapshot
   * (from its log), and the filler keys deleted so that later snapshots stay small. Null after other faults.
   */
  String afterRecovery() {
    if (snapshotLogOffset < 0) {
      return null;
    }
    Path log = cluster.server(snapshotServer).log();
    boolean installed = logSince(log, snapshotLogOffset).contains(SNAPSHOT_INSTALLED);
    snapshotLogOffset = -1;
    for (int i = 0; i < 4; i++) {
      try {
        cluster.client(cluster.ids().get(0)).delete(FILLER_KEY + i);
      } catch (RuntimeException e) {
        // a later snapshot fault overwrites them anyway
      }
    }
    return installed ? "server " + snapshotServer + " installed a snapshot"
        : "server " + snapshotServer + " caught up WITHOUT a snapshot (see " + log + ")";
  }

  /** Cuts the network as {@code cut}, checks it with the connect matrix, and holds it for {@code millis}. */
  private void hold(Cut cut, long millis) throws InterruptedException {
    long t = System.nanoTime();
    net.apply(cut);
    net.verify();
    sleepUntil(t + TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** Heals every link, checks that everything is open again, and returns the heal time (run us). */
  private long heal() {
    net.apply(Cut.NONE);
    long healed = cluster.clock().micros();
    net.verify();
    return healed;
  }

  static void sleepUntil(long nanoDeadline) throws InterruptedException {
    long left = nanoDeadline - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String logSince(Path file, long offset) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      if (len <= offset) {
        return "";
      }
      byte[] b = new byte[(int) Math.min(len - offset, 64L << 20)];
      f.seek(offset);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
