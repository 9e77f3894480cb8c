package io.zab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Durable appends of 1 KiB records with group commit: each operation appends one record and waits until the
 * fsync that covers it. {@code impl=log} goes through TxnLog + LogWriter; {@code impl=raw} is the baseline
 * (FileChannel.write + force(false) in the same one-thread group-commit loop). The primary score is records/s;
 * the {@code fsyncs} secondary score is fsyncs/s.
 *
 * <p>Data goes to a fresh directory under java.io.tmpdir (override with -Djava.io.tmpdir=...).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TxnLogAppendBenchmark {

  @State(Scope.Benchmark)
  public static class Log {
    @Param({"log", "raw"})
    public String impl;

    @Param({"1024"})
    public int recordBytes;

    /** false skips the fsync in both implementations: a diagnostic for the CPU cost of each write path. */
    @Param({"true"})
    public boolean fsync;

    Path dir;
    Committer committer;
    byte[] payload;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("zab-bench-");
      committer = impl.equals("log") ? new LogCommitter(dir, 1024, fsync) : new RawCommitter(dir, 1024, fsync);
      payload = new byte[recordBytes];
      ThreadLocalRandom.current().nextBytes(payload);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      committer.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * fsyncs per second. The count is global, so only thread 0 reports it (JMH sums the threads' counters): it
   * adds the fsyncs seen between its operations while JMH is measuring.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Fsyncs {
    public long fsyncs;
    boolean reporter;
    long seen;

    @Setup(Level.Iteration)
    public void reset(ThreadParams params, Log log) {
      fsyncs = 0;
      reporter = params.getThreadIndex() == 0;
      seen = log.committer.fsyncs();
    }
  }

  private static void appendAndAwait(Log log, Fsyncs counters, Control control) {
    log.committer.commit(log.payload).join();
    if (counters.reporter) {
      long now = log.committer.fsyncs();
      if (control.startMeasurement && !control.stopMeasurement) {
        counters.fsyncs += now - counters.seen;
      }
      counters.seen = now;
    }
  }

  @Benchmark
  @Threads(1)
  public void writers001(Log log, Fsyncs counters, Control control) {
    appendAndAwait(log, counters, control);
  }

  @Benchmark
  @Threads(64)
  public void writers064(Log log, Fsyncs counters, Control control) {
    appendAndAwait(log, counters, control);
  }

  @Benchmark
  @Threads(256)
  public void writers256(Log log, Fsyncs counters, Control control) {
    appendAndAwait(log, counters, control);
  }
}
