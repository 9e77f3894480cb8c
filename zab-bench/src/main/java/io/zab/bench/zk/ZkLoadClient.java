package io.zab.bench.zk;

import io.zab.bench.cluster.Args;
import io.zab.bench.cluster.ClosedLoop;
import io.zab.bench.cluster.ExitWithParent;
import io.zab.bench.cluster.LoadStep;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Load client for the ZooKeeper ensemble, run in its own JVM with ZooKeeper's classpath. One session
 * (one TCP connection) to the given server; writes are asynchronous {@code setData} calls of the step's
 * payload on a few pre-created znodes, kept {@code inFlight} outstanding by {@link ClosedLoop}. Prints
 * one result line per step.
 *
 * <p>Usage: {@code ZkLoadClient --connect 127.0.0.1:2181 --mode leader --steps 1x1024,256x1024
 * --warmup-ms 5000 --measure-ms 10000}
 */
public final class ZkLoadClient {

  private static final int ZNODES = 64;
  private static final String ROOT = "/zab-bench";

  private ZkLoadClient() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "connect", "mode", "steps", "warmup-ms", "measure-ms");
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            args.require("connect"),
            30_000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    try {
      if (!connected.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no ZooKeeper session with " + args.require("connect") + " in 30 s");
      }
      createIfAbsent(zk, ROOT);
      for (int i = 0; i < ZNODES; i++) {
        createIfAbsent(zk, ROOT + "/k" + i);
      }
      int[] next = {0}; // used by the single issuing thread only
      ClosedLoop.AsyncWriter setData =
          (payload, done) ->
              zk.setData(
                  ROOT + "/k" + (next[0]++ % ZNODES),
                  payload,
                  -1,
                  (rc, path, ctx, stat) -> done.complete(rc == KeeperException.Code.OK.intValue()),
                  null);
      for (LoadStep step : LoadStep.parseList(args.require("steps"))) {
        System.out.println(
            ClosedLoop.run(
                    "zookeeper", args.require("mode"), setData, step,
                    args.getLong("warmup-ms", 5000), args.getLong("measure-ms", 10000))
                .toLine());
        System.out.flush();
      }
    } finally {
      zk.close();
    }
    System.exit(0);
  }

  private static void createIfAbsent(ZooKeeper zk, String path) throws Exception {
    try {
      zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException alreadyThere) {
      // created by an earlier client of this run
    }
  }
}
