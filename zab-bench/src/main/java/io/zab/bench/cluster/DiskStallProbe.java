package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The disk alone, as the servers of a one-machine cluster use it: {@code --writers} threads, each appending
 * {@code --chunk-bytes} to its own preallocated file and fsyncing (fdatasync) in a loop, for {@code --seconds},
 * all at once. Per writer it prints fsyncs per second, how many took at least {@code --stall-ms} and the longest,
 * and the phase of those stalls' ends in a 100 ms period (ten 10 ms bins of wall-clock time): a disk throttled in
 * 100 ms periods shows one crowded bin. No JVM of zab's is involved, so what it shows is the machine's.
 *
 * <pre>{@code
 * java -cp ... io.zab.bench.cluster.DiskStallProbe --dir /tmp/probe --writers 3 --chunk-bytes 49152 --seconds 5
 * }</pre>
 */
public final class DiskStallProbe {
  private static final long FILE_BYTES = 64L << 20;

  private DiskStallProbe() {}

  /** One writer's result. */
  record Writer(int index, long fsyncs, double seconds, int stalls, double longestMs, int[] phaseBins) {
    String line() {
      StringBuilder bins = new StringBuilder();
      for (int b : phaseBins) {
        bins.append(' ').append(b);
      }
      return String.format(Locale.ROOT, "writer %d: %.0f fsyncs/s, %d stalls, longest %.1f ms, stall ends by phase:%s",
          index, fsyncs / seconds, stalls, longestMs, bins);
    }
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, "dir", "writers", "chunk-bytes", "seconds", "stall-ms");
    Path dir = Path.of(args.require("dir"));
    int writers = (int) args.getLong("writers", 3);
    int chunk = (int) args.getLong("chunk-bytes", 1024);
    long seconds = args.getLong("seconds", 5);
    long stallNanos = args.getLong("stall-ms", 4) * 1_000_000;
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      files.add(preallocated(dir.resolve("probe-" + i)));
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Writer> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          start.await();
          Writer w = write(index, files.get(index), chunk, seconds * 1_000_000_000L, stallNanos);
          synchronized (results) {
            results.add(w);
          }
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException("writer " + index + " failed", e);
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    if (results.size() != writers) {
      throw new IllegalStateException((writers - results.size()) + " of " + writers + " writers failed (see above)");
    }
    results.sort((a, b) -> Integer.compare(a.index(), b.index()));
    System.out.printf(Locale.ROOT, "%d writers, %d B per fsync, %d s, stalls >= %d ms%n", writers, chunk, seconds,
        stallNanos / 1_000_000);
    for (Writer w : results) {
      System.out.println(w.line());
    }
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
  }

  /** A file written with zeros to its full size and fsynced, as zab's preallocated log segments are. */
  private static Path preallocated(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      FsyncCeiling.zeroFill(ch, FILE_BYTES);
    }
    return file;
  }

  private static Writer write(int index, Path file, int chunk, long forNanos, long stallNanos) throws IOException {
    ByteBuffer data = ByteBuffer.allocateDirect(chunk);
    int[] bins = new int[10];
    long fsyncs = 0;
    int stalls = 0;
    long longest = 0;
    long position = 0;
    long began = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      while (System.nanoTime() - began < forNanos) {
        long t0 = System.nanoTime();
        data.clear();
        while (data.hasRemaining()) {
          ch.write(data, position + data.position());
        }
        ch.force(false);
        long took = System.nanoTime() - t0;
        fsyncs++;
        position = position + chunk + chunk > FILE_BYTES ? 0 : position + chunk;
        longest = Math.max(longest, took);
        if (took >= stallNanos) {
          stalls++;
          bins[(int) (System.currentTimeMillis() % 100 / 10)]++;
        }
      }
    }
    return new Writer(index, fsyncs, (System.nanoTime() - began) / 1e9, stalls, longest / 1e6, bins);
  }
}
