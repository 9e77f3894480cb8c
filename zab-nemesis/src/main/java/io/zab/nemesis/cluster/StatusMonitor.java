package io.zab.nemesis.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Samples every server's status every {@code periodMillis} (one thread per server), for the figures. */
public final class StatusMonitor {
  private final Cluster cluster;
  private final long periodMillis;
  private final List<NodeStatus> samples = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  public StatusMonitor(Cluster cluster, long periodMillis) {
    this.cluster = cluster;
    this.periodMillis = periodMillis;
  }

  public void start() {
    running = true;
    for (int id : cluster.ids()) {
      Thread t = new Thread(() -> {
        while (running) {
          NodeStatus s = cluster.status(id);
          synchronized (samples) {
            samples.add(s);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(periodMillis));
        }
      }, "status-" + id);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(5_000);
    }
  }

  public List<NodeStatus> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }
}
