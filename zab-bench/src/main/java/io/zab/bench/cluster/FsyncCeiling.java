package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The ceiling for any replicated log on this disk: a raw group-commit fsync loop, no network, no protocol.
 * {@code C} writer threads each append one record and wait until it is durable, then append the next;
 * one syncer thread writes everything queued in one gathering write and calls {@code force(false)} once
 * for the whole group. Runs in its own JVM (launched by {@link ClusterBench}) and prints one
 * {@link LoadResult} line per load step.
 *
 * <p>Usage: {@code FsyncCeiling --dir <dir> --steps 1x1024,32x1024,256x1024 --warmup-ms 5000 --measure-ms 10000}
 */
public final class FsyncCeiling {

  private record Pending(ByteBuffer record, CompletableFuture<Void> durable) {}

  private FsyncCeiling() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "dir", "steps", "warmup-ms", "measure-ms");
    Path dir = Path.of(args.require("dir"));
    Files.createDirectories(dir);
    long warmupMs = args.getLong("warmup-ms", 5000);
    long measureMs = args.getLong("measure-ms", 10000);
    for (LoadStep step : LoadStep.parseList(args.require("steps"))) {
      System.out.println(run(dir.resolve("ceiling-" + step + ".log"), step, warmupMs, measureMs).toLine());
      System.out.flush();
    }
    System.exit(0);
  }

  static LoadResult run(Path file, LoadStep step, long warmupMs, long measureMs) throws Exception {
    Files.deleteIfExists(file);
    LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    // The syncer outlives the writers: each writer's last record must still be synced before it can stop.
    AtomicBoolean writersDone = new AtomicBoolean();
    Recorder recorder = new Recorder(3);
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Thread syncer = new Thread(() -> syncLoop(channel, queue, writersDone), "ceiling-syncer");
      syncer.start();
      byte[] payload = new byte[step.payloadBytes()];
      new Random(42).nextBytes(payload);
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < step.inFlight(); i++) {
        Thread writer = new Thread(() -> writeLoop(payload, queue, stop, recorder), "ceiling-writer-" + i);
        writer.start();
        writers.add(writer);
      }
      Thread.sleep(warmupMs);
      recorder.getIntervalHistogram(); // discard the warm-up
      long opened = System.nanoTime();
      Thread.sleep(measureMs);
      Histogram window = recorder.getIntervalHistogram();
      double seconds = (System.nanoTime() - opened) / 1e9;
      stop.set(true);
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      }
      writersDone.set(true);
      syncer.join(TimeUnit.SECONDS.toMillis(30));
      return new LoadResult(
          "ceiling", "local-disk", step.inFlight(), step.payloadBytes(), window.getTotalCount(), seconds, 0,
          window.getValueAtPercentile(50), window.getValueAtPercentile(99),
          window.getValueAtPercentile(99.9), window.getMaxValue());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void writeLoop(
      byte[] payload, LinkedBlockingQueue<Pending> queue, AtomicBoolean stop, Recorder recorder) {
    while (!stop.get()) {
      long t0 = System.nanoTime();
      Pending pending = new Pending(ByteBuffer.wrap(payload), new CompletableFuture<>());
      queue.add(pending);
      try {
        pending.durable().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("fsync of a ceiling record failed or timed out", e);
      }
      recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
    }
  }

  /** Group commit: write everything queued, one force for the whole group, then release the writers. */
  private static void syncLoop(
      FileChannel channel, LinkedBlockingQueue<Pending> queue, AtomicBoolean writersDone) {
    List<Pending> group = new ArrayList<>();
    try {
      while (!writersDone.get() || !queue.isEmpty()) {
        Pending first = queue.poll(10, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group);
        ByteBuffer[] buffers = new ByteBuffer[group.size()];
        for (int i = 0; i < buffers.length; i++) {
          buffers[i] = group.get(i).record();
        }
        long remaining = 0;
        for (ByteBuffer buffer : buffers) {
          remaining += buffer.remaining();
        }
        while (remaining > 0) {
          remaining -= channel.write(buffers);
        }
        channel.force(false);
        for (Pending pending : group) {
          pending.durable().complete(null);
        }
        group.clear();
      }
    } catch (IOException | InterruptedException e) {
      for (Pending pending : group) {
        pending.durable().completeExceptionally(e);
      }
      throw new IllegalStateException("ceiling syncer failed", e);
    }
  }
}
