package io.zab.bench.cluster;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
 * Before those, the two parts of the floor of one write at one in flight, each measured alone with the payload
 * of the first step: mode {@code disk-fsync}, one writer that writes a record into a preallocated file and
 * fsyncs it (what a log that preallocates pays per write), and mode {@code loopback-rtt}, a TCP round trip on
 * loopback between two threads (the record one way, 8 bytes back, as a proposal and its ack). A replicated write
 * at one in flight needs at least one of each: a follower's fsync and the round trip to it.
 *
 * <p>Runs in its own JVM (launched by {@link ClusterBench}) and prints one {@link LoadResult} line per step and
 * mode.
 *
 * <p>Usage: {@code FsyncCeiling --dir <dir> --steps 1x1024,32x1024,256x1024 --warmup-ms 4000 --measure-ms 8000}
 */
public final class FsyncCeiling {

  static final String SYSTEM = "ceiling";
  static final String THREADS = "disk-threads";
  static final String CALLBACKS = "disk-callbacks";
  static final String FSYNC = "disk-fsync";
  static final String RTT = "loopback-rtt";
  private static final long PREALLOCATED_BYTES = 64L << 20;

  private FsyncCeiling() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "dir", "steps", "warmup-ms", "measure-ms");
    Path dir = Path.of(args.require("dir"));
    Files.createDirectories(dir);
    long warmupMs = args.getLong("warmup-ms", 4000);
    long measureMs = args.getLong("measure-ms", 8000);
    List<LoadStep> steps = LoadStep.parseList(args.require("steps"));
    LoadStep one = new LoadStep(1, steps.isEmpty() ? 1024 : steps.get(0).payloadBytes());
    print(runFsync(dir.resolve("fsync.log"), one, warmupMs, measureMs, PREALLOCATED_BYTES));
    print(runRoundTrips(one, warmupMs, measureMs));
    for (LoadStep step : steps) {
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

  /**
   * Writes zeros to the first {@code bytes} of {@code ch} (a multiple of 1 MiB) and fsyncs it, as zab's preallocated
   * log segments are written: afterwards an fsync of a write into it flushes data blocks only.
   */
  static void zeroFill(FileChannel ch, long bytes) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    for (long at = 0; at < bytes; at += zeros.capacity()) {
      zeros.clear();
      while (zeros.hasRemaining()) {
        ch.write(zeros, at + zeros.position());
      }
    }
    ch.force(true);
  }

  /** One writer: write one record at the next offset of a preallocated file, fsync, repeat (wrapping around). */
  static LoadResult runFsync(Path file, LoadStep step, long warmupMs, long measureMs, long preallocatedBytes)
      throws IOException {
    Files.deleteIfExists(file);
    ByteBuffer record = ByteBuffer.allocateDirect(step.payloadBytes());
    new Random(42).ints(step.payloadBytes()).forEach(b -> record.put((byte) b));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      zeroFill(ch, preallocatedBytes);
      long[] position = {0};
      return timed(FSYNC, step, warmupMs, measureMs, () -> {
        if (position[0] + step.payloadBytes() > preallocatedBytes) {
          position[0] = 0;
        }
        record.clear();
        while (record.hasRemaining()) {
          position[0] += ch.write(record, position[0]);
        }
        ch.force(false);
      });
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A TCP round trip on loopback: the record to an echo thread, 8 bytes back. */
  static LoadResult runRoundTrips(LoadStep step, long warmupMs, long measureMs) throws Exception {
    byte[] record = new byte[step.payloadBytes()];
    new Random(42).nextBytes(record);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      client.setTcpNoDelay(true);
      accepted.setTcpNoDelay(true);
      Thread echo = new Thread(() -> {
        byte[] in = new byte[record.length];
        try (DataInputStream from = new DataInputStream(accepted.getInputStream());
            OutputStream to = accepted.getOutputStream()) {
          while (true) {
            from.readFully(in);
            to.write(in, 0, 8);
          }
        } catch (IOException closed) {
          // the measuring side is done
        }
      }, "rtt-echo");
      echo.setDaemon(true);
      echo.start();
      OutputStream out = client.getOutputStream();
      DataInputStream in = new DataInputStream(client.getInputStream());
      byte[] reply = new byte[8];
      return timed(RTT, step, warmupMs, measureMs, () -> {
        out.write(record);
        in.readFully(reply);
      });
    }
  }

  private interface Op {
    void run() throws IOException;
  }

  /** Runs {@code op} back to back for the warm-up, then records each one's duration for the window. */
  private static LoadResult timed(String mode, LoadStep step, long warmupMs, long measureMs, Op op)
      throws IOException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    while (System.nanoTime() < end) {
      op.run();
    }
    Histogram window = new Histogram(3);
    long opened = System.nanoTime();
    end = opened + TimeUnit.MILLISECONDS.toNanos(measureMs);
    for (long now = opened; now < end; ) {
      op.run();
      long done = System.nanoTime();
      window.recordValue(Math.max(1, (done - now) / 1000));
      now = done;
    }
    return new LoadResult(SYSTEM, mode, 1, step.payloadBytes(), window.getTotalCount(),
        (System.nanoTime() - opened) / 1e9, 0, window.getValueAtPercentile(50), window.getValueAtPercentile(99),
        window.getValueAtPercentile(99.9), window.getMaxValue());
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
