package io.zab;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * How zab names its threads and tags their log lines. Every thread of a node is named {@code zab-<job>-<id>}
 * ({@code zab-protocol-1}, {@code zab-log-writer-1}, {@code zab-netty-1-…}, …) and carries the server id in the
 * slf4j MDC under {@link #MDC_KEY} for its whole life; so do the node's callbacks on an application's executor,
 * while they run. Put it in the log pattern to tell the servers of one JVM apart:
 *
 * <pre>{@code
 * # logback: %d %-5level [%thread] sid=%X{zab.sid} %logger - %msg%n
 * # a transport of one's own names its threads the same way:
 * ThreadFactory threads = ZabThreads.factory(serverId, "mytransport");
 * }</pre>
 *
 * <p>Thread-safe; holds no state.
 */
public final class ZabThreads {
  /** The MDC key of the server id: {@value}. */
  public static final String MDC_KEY = "zab.sid";

  private ZabThreads() {}

  /**
   * A daemon thread {@code zab-<job>-<serverId>} that runs {@code body} with the server id in the MDC. Not started.
   *
   * @param serverId the server the thread works for
   * @param job what it does, e.g. {@code "apply"}
   * @param body what it runs
   * @return the thread, not started
   */
  public static Thread newThread(long serverId, String job, Runnable body) {
    Thread t = new Thread(withServerId(serverId, body), "zab-" + job + "-" + serverId);
    t.setDaemon(true);
    return t;
  }

  /**
   * Daemon threads for an executor: the first is named {@code zab-<job>-<serverId>}, later ones get a suffix
   * ({@code -2}, {@code -3}, …); each runs with the server id in the MDC.
   *
   * @param serverId the server the threads work for
   * @param job what they do, e.g. {@code "snapshot"}
   * @return the factory
   */
  public static ThreadFactory factory(long serverId, String job) {
    AtomicInteger created = new AtomicInteger();
    return r -> {
      int n = created.incrementAndGet();
      Thread t = newThread(serverId, job, r);
      if (n > 1) {
        t.setName(t.getName() + "-" + n);
      }
      return t;
    };
  }

  /**
   * {@code task} with the server id in the MDC while it runs; the caller's value, if any, is put back afterwards
   * (for tasks on threads zab does not own, such as an application's callback executor).
   *
   * @param serverId the server the task works for
   * @param task what to run
   * @return {@code task} wrapped
   */
  public static Runnable withServerId(long serverId, Runnable task) {
    String id = Long.toString(serverId);
    return () -> {
      String previous = MDC.get(MDC_KEY);
      MDC.put(MDC_KEY, id);
      try {
        task.run();
      } finally {
        if (previous == null) {
          MDC.remove(MDC_KEY);
        } else {
          MDC.put(MDC_KEY, previous);
        }
      }
    };
  }
}
