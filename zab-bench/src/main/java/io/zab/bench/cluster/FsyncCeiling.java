package io.zab.bench.cluster;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The ceiling for any replicated log on this disk: a raw group-commit fsync loop ({@link GroupCommitFile}),
 * no network, no protocol. Driven two ways at each load step:
 * <ul>
 *   <li>mode {@code disk-threads}: {@code C} writer threads each append one record and wait until it is
 *       durable, then append the next;
 *   <li>mode {@code disk-callbacks}: the same {@link ClosedLoop} the cluster load clients use, {@code C}
 *       records in flight, completed by callbacks on the syncer thread (no thread wake-up per record, which
 *       matters at C = 256 on few cores).
 * </ul>
 * Runs in its own JVM (launched by {@link ClusterBench}) and prints one {@link LoadResult} line per step and
 * mode.
 *
 * <p>Usage: {@code FsyncCeiling --dir <dir> --steps 1x1024,32x1024,256x1024 --warmup-ms 4000 --measure-ms 8000}
 */
public final class FsyncCeiling {

  static final String SYSTEM = "ceiling";
  static final String THREADS = "disk-threads";
  static final String CALLBACKS = "disk-callbacks";

  private FsyncCeiling() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "dir", "steps", "warmup-ms", "measure-ms");
    Path dir = Path.of(args.require("dir"));
    Files.createDirectories(dir);
    long warmupMs = args.getLong("warmup-ms", 4000);
    long measureMs = args.getLong("measure-ms", 8000);
    for (LoadStep step : LoadStep.parseList(args.require("steps"))) {
      print(runThreads(dir.resolve("threads-" + step + ".log"), step, warmupMs, measureMs));
      print(runCallbacks(dir.resolve("callbacks-" + step + ".log"), step, warmupMs, measureMs));
    }
    System.exit(0);
  }

  private static void print(LoadResult result) {
    System.out.println(result.toLine());
    System.out.flush();
  }

  static LoadResult runCallbacks(Path file, LoadStep step, long warmupMs, long measureMs) throws Exception {
    Files.deleteIfExists(file);
    try (GroupCommitFile log = new GroupCommitFile(file)) {
      return ClosedLoop.run(SYSTEM, CALLBACKS, (payload, done) -> log.append(ByteBuffer.wrap(payload), done),
          step, warmupMs, measureMs);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static LoadResult runThreads(Path file, LoadStep step, long warmupMs, long measureMs) throws Exception {
    Files.deleteIfExists(file);
    AtomicBoolean stop = new AtomicBoolean();
    Recorder recorder = new Recorder(3);
    byte[] payload = new byte[step.payloadBytes()];
    new Random(42).nextBytes(payload);
    try (GroupCommitFile log = new GroupCommitFile(file)) {
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < step.inFlight(); i++) {
        Thread writer = new Thread(() -> writeLoop(log, payload, stop, recorder), "ceiling-writer-" + i);
        writer.start();
        writers.add(writer);
      }
      Thread.sleep(warmupMs); // a fixed-length run, not a wait for a condition
      recorder.getIntervalHistogram(); // discard the warm-up
      long opened = System.nanoTime();
      Thread.sleep(measureMs);
      Histogram window = recorder.getIntervalHistogram();
      double seconds = (System.nanoTime() - opened) / 1e9;
      stop.set(true);
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      }
      return new LoadResult(SYSTEM, THREADS, step.inFlight(), step.payloadBytes(), window.getTotalCount(),
          seconds, 0, window.getValueAtPercentile(50), window.getValueAtPercentile(99),
          window.getValueAtPercentile(99.9), window.getMaxValue());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void writeLoop(GroupCommitFile log, byte[] payload, AtomicBoolean stop, Recorder recorder) {
    while (!stop.get()) {
      long t0 = System.nanoTime();
      CompletableFuture<Boolean> durable = new CompletableFuture<>();
      log.append(ByteBuffer.wrap(payload), durable::complete);
      try {
        if (!durable.get(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("fsync of a ceiling record failed");
        }
      } catch (Exception e) {
        throw new IllegalStateException("fsync of a ceiling record failed or timed out", e);
      }
      recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
    }
  }
}
