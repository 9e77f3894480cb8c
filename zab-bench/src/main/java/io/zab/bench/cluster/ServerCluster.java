package io.zab.bench.cluster;

import java.util.List;

/** A replicated service under test, one JVM per server on loopback (ZooKeeper or zab). */
public interface ServerCluster extends AutoCloseable {

  /** "zookeeper" or "zab": the name in results. */
  String system();

  /** Starts every server and returns once one is leader and all others follow it. */
  void startAndAwaitLeader() throws Exception;

  /** Server ids, 1..n. */
  List<Long> serverIds();

  long leaderId();

  /** host:port a load client connects to, to write through {@code serverId}. */
  String clientAddress(long serverId);

  long pid(long serverId);

  /** Classpath and main class of this system's load client JVM. */
  List<String> clientClasspath();

  String clientMainClass();

  /** Stops every server; idempotent. */
  @Override
  void close();
}
