package io.zab.bench.cluster;

import java.util.List;

/**
 * Voluntary context switches of all threads of a process so far ({@link ThreadCpu#sample}): each is a thread going
 * to sleep to wait (and later a wake-up), the count a round trip's hand-offs cost whatever the load. Linux only; -1
 * elsewhere. Threads that ended are not counted.
 */
final class ContextSwitches {
  private ContextSwitches() {}

  static long voluntary(long pid) {
    List<ThreadCpu.Sample> threads = ThreadCpu.sample(pid);
    return threads.isEmpty() ? -1 : threads.stream().mapToLong(ThreadCpu.Sample::voluntarySwitches).sum();
  }
}
