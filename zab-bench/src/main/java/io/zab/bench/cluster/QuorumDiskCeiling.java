package io.zab.bench.cluster;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The disk's own tail under a replicated log's load shape: three group-committing writers at once
 * ({@link GroupCommitFile}, one file in each of three directories, like three servers' logs on one disk), every
 * record appended to all three, no network, no protocol. Reports two results per step:
 * <ul>
 *   <li>mode {@code each}: a record's latency in one log, append to durable, all three logs pooled ({@code ops}
 *       counts records per log, so ops × payload / seconds is the disk's aggregate bandwidth);
 *   <li>mode {@code quorum}: a record counted done when 2 of the 3 logs have made it durable (the floor of a
 *       3-server commit: no quorum can form faster than the second-fastest fsync).
 * </ul>
 * The load is the cluster benchmark's: {@code C} records in flight, one freed when its quorum is reached (as a
 * client's write is acknowledged at the quorum); the slowest log may fall behind by at most
 * {@value #MAX_BEHIND} records (about a zab leader's 8 MiB per follower at 1 KiB). With {@code --rate} each step
 * also runs open loop at that rate with the same bound of {@code C} in flight ({@link OpenLoop}; modes
 * {@code each-<rate>/s} and {@code quorum-<rate>/s}), e.g. the throughput zab reached in the same run. Both latencies
 * run from the record's append (as zab's closed loop times a write from its submit), not from when an open-loop
 * write was due: the time a write waits for one of the {@code C} slots is not the disk's.
 *
 * <p>Usage: {@code QuorumDiskCeiling --dirs d1,d2,d3 --steps 256x1024 --warmup-ms 2000 --measure-ms 5000
 * [--rate 60000]}
 */
public final class QuorumDiskCeiling {

  static final String SYSTEM = "disk-quorum";
  static final String EACH = "each";
  static final String QUORUM = "quorum";
  static final int MAX_BEHIND = 8192;

  private QuorumDiskCeiling() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "dirs", "steps", "warmup-ms", "measure-ms", "rate");
    List<Path> dirs = new ArrayList<>();
    for (String dir : args.require("dirs").split(",")) {
      dirs.add(Files.createDirectories(Path.of(dir.trim())));
    }
    long warmupMs = args.getLong("warmup-ms", 4000);
    long measureMs = args.getLong("measure-ms", 8000);
    long rate = args.getLong("rate", 0);
    for (LoadStep step : LoadStep.parseList(args.require("steps"))) {
      for (LoadResult r : run(dirs, step, 0, warmupMs, measureMs)) {
        print(r);
      }
      if (rate > 0) {
        for (LoadResult r : run(dirs, step, rate, warmupMs, measureMs)) {
          print(r);
        }
      }
    }
    System.exit(0);
  }

  private static void print(LoadResult result) {
    System.out.println(result.toLine());
    System.out.flush();
  }

  /** One step on fresh files: the {@code each} and {@code quorum} results; open loop at {@code rate} if > 0. */
  static List<LoadResult> run(List<Path> dirs, LoadStep step, long rate, long warmupMs, long measureMs)
      throws Exception {
    int quorum = dirs.size() / 2 + 1;
    List<Path> files = new ArrayList<>();
    List<GroupCommitFile> logs = new ArrayList<>();
    List<Semaphore> behind = new ArrayList<>();
    try {
      for (Path dir : dirs) {
        Path file = dir.resolve("quorum-" + step + "-" + rate + ".log");
        Files.deleteIfExists(file);
        files.add(file);
        logs.add(new GroupCommitFile(file));
        behind.add(new Semaphore(MAX_BEHIND));
      }
      Recorder each = new Recorder(3);
      Recorder quorumDone = new Recorder(3);
      Histogram[] eachWindow = new Histogram[1];
      Histogram[] quorumWindow = new Histogram[1];
      AtomicBoolean failed = new AtomicBoolean();
      ClosedLoop.AsyncWriter writer = (payload, done) -> {
        QuorumWrite write = new QuorumWrite(quorum);
        long appended = System.nanoTime();
        for (int i = 0; i < logs.size(); i++) {
          Semaphore room = behind.get(i);
          try {
            if (!room.tryAcquire(30, TimeUnit.SECONDS)) {
              throw new IllegalStateException("log " + i + " is " + MAX_BEHIND + " records behind for 30 s");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          logs.get(i).append(ByteBuffer.wrap(payload), ok -> {
            room.release();
            if (!ok) {
              if (failed.compareAndSet(false, true)) {
                done.complete(false);
              }
              return;
            }
            each.recordValue(Math.max(1, (System.nanoTime() - appended) / 1000));
            if (write.durable() && !failed.get()) {
              quorumDone.recordValue(Math.max(1, (System.nanoTime() - appended) / 1000));
              done.complete(true);
            }
          });
        }
      };
      ClosedLoop.Window window = new ClosedLoop.Window() {
        @Override
        public void opened() {
          each.getIntervalHistogram(); // discard the warm-up
          quorumDone.getIntervalHistogram();
        }

        @Override
        public void measured(Histogram latencies) {
          eachWindow[0] = each.getIntervalHistogram();
          quorumWindow[0] = quorumDone.getIntervalHistogram();
        }
      };
      LoadResult quorumResult = rate > 0
          ? OpenLoop.run(SYSTEM, new RateStep(rate, step.payloadBytes(), step.inFlight()), writer, warmupMs, measureMs,
              window)
          : ClosedLoop.run(SYSTEM, QUORUM, writer, step, warmupMs, measureMs, window);
      String suffix = rate > 0 ? "-" + rate + "/s" : "";
      Histogram e = eachWindow[0];
      Histogram q = quorumWindow[0];
      return List.of(
          new LoadResult(SYSTEM, EACH + suffix, step.inFlight(), step.payloadBytes(), e.getTotalCount(),
              quorumResult.seconds(), quorumResult.errors(), e.getValueAtPercentile(50), e.getValueAtPercentile(99),
              e.getValueAtPercentile(99.9), e.getMaxValue()),
          new LoadResult(SYSTEM, QUORUM + suffix, step.inFlight(), step.payloadBytes(), q.getTotalCount(),
              quorumResult.seconds(), quorumResult.errors(), q.getValueAtPercentile(50), q.getValueAtPercentile(99),
              q.getValueAtPercentile(99.9), q.getMaxValue()));
    } finally {
      for (GroupCommitFile log : logs) {
        log.close();
      }
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }
}
