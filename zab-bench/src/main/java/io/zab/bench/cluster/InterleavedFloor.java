package io.zab.bench.cluster;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures zab at one in flight and its floor side by side: rounds of three short slices, one after the other —
 * <ol>
 *   <li>the fsync floor: one record at a time appended to a preallocated file by a group-committing syncer
 *       ({@link GroupCommitFile}, fdatasync per group) in a directory of the same file system as the servers' data;
 *   <li>the round-trip floor: the record over loopback TCP to {@link LoopbackEcho} in another JVM, 8 bytes back;
 *   <li>zab: writes submitted in the leader's JVM at one in flight (the LOAD request, {@link InProcessLoad}).
 * </ol>
 * The cluster stays up and idle while the floors are probed, and the probes are idle while zab runs. A disk whose
 * latency moves several-fold within minutes then moves under both alike, and each round gives a ratio of its own.
 */
final class InterleavedFloor {

  static final long PREALLOCATED_BYTES = 64L << 20;
  /** Writes after each idle pause that are not counted: the first wake-ups of parked threads. */
  private static final long SLICE_WARMUP_MS = 20;
  private static final long PROBE_WARMUP_MS = 1000;

  private InterleavedFloor() {}

  static FloorSlices run(ProcessGroup processes, List<String> classpath, Path dir, ZabCluster cluster, long leader,
      String pids, LoadStep step, long sliceMs, int rounds, long warmupMs) throws Exception {
    Files.createDirectories(dir);
    Path fsyncFile = dir.resolve("floor-fsync.log");
    Files.deleteIfExists(fsyncFile);
    int port = FreePorts.pick(1)[0];
    Process echo = processes.startJava(classpath, List.of("-Xmx64m", "-XX:+UseSerialGC"),
        LoopbackEcho.class.getName(), List.of("--port", Integer.toString(port), "--payload",
            Integer.toString(step.payloadBytes())), dir.resolve("echo.log"));
    String loadBefore = loadAverage();
    try (Socket socket = connect(port, echo);
        GroupCommitFile file = new GroupCommitFile(fsyncFile, PREALLOCATED_BYTES);
        SubmitClient client = SubmitClient.connect(cluster.clientAddress(leader))) {
      socket.setTcpNoDelay(true);
      RoundTrips roundTrips = new RoundTrips(socket, step.payloadBytes());
      // warm every path up (JIT, the disk's write cache, the cluster) before the first counted round
      zabSlice(client, cluster, leader, pids, step, warmupMs, sliceMs);
      fsyncSlice(file, step, PROBE_WARMUP_MS);
      roundTrips.slice(PROBE_WARMUP_MS);
      List<FloorSlices.Slice> slices = new ArrayList<>();
      Histogram fsyncAll = new Histogram(3);
      Histogram roundTripAll = new Histogram(3);
      Histogram zabAll = new Histogram(3);
      for (int round = 0; round < rounds; round++) {
        Histogram fsync = fsyncSlice(file, step, sliceMs);
        Histogram roundTrip = roundTrips.slice(sliceMs);
        Histogram zab = zabSlice(client, cluster, leader, pids, step, SLICE_WARMUP_MS, sliceMs);
        slices.add(new FloorSlices.Slice(fsync.getValueAtPercentile(50), roundTrip.getValueAtPercentile(50),
            zab.getValueAtPercentile(50), zab.getTotalCount()));
        fsyncAll.add(fsync);
        roundTripAll.add(roundTrip);
        zabAll.add(zab);
      }
      return new FloorSlices(cluster.system(), step.payloadBytes(), sliceMs, List.copyOf(slices), fsyncAll,
          roundTripAll, zabAll, loadBefore + " → " + loadAverage());
    } finally {
      processes.stop(echo);
      Files.deleteIfExists(fsyncFile);
    }
  }

  /** The latencies of zab at one in flight for {@code measureMs}, after {@code warmupMs} not counted. */
  private static Histogram zabSlice(SubmitClient client, ZabCluster cluster, long leader, String pids, LoadStep step,
      long warmupMs, long measureMs) throws Exception {
    String spec = "step=" + new LoadStep(1, step.payloadBytes()) + " warmup=" + warmupMs + " measure=" + measureMs
        + " mode=in-process-slice pids=" + pids + " histogram=true";
    String line = client.load(spec).get(warmupMs + measureMs + 60_000L, TimeUnit.MILLISECONDS).text();
    if (LoadResult.parseLine(line) == null) {
      throw new IllegalStateException("in-process slice " + spec + " on " + cluster.system() + " server " + leader
          + " failed: " + line);
    }
    return HistogramText.decodeFrom(line);
  }

  /** The latencies of one record at a time through the group-committing file, for {@code measureMs}. */
  private static Histogram fsyncSlice(GroupCommitFile file, LoadStep step, long measureMs) throws Exception {
    Histogram[] latencies = new Histogram[1];
    ClosedLoop.run(FsyncCeiling.SYSTEM, FsyncCeiling.FSYNC,
        (payload, done) -> file.append(ByteBuffer.wrap(payload), done), new LoadStep(1, step.payloadBytes()),
        SLICE_WARMUP_MS, measureMs, new ClosedLoop.Window() {
          @Override
          public void measured(Histogram window) {
            latencies[0] = window.copy();
          }
        });
    return latencies[0];
  }

  /** The prober's side of the loopback round trip: one record out, the echo's 8 bytes back, timed. */
  static final class RoundTrips implements RoundTripProbe {
    private final OutputStream out;
    private final DataInputStream in;
    private final byte[] record;
    private final byte[] reply = new byte[LoopbackEcho.REPLY_BYTES];

    RoundTrips(Socket socket, int payloadBytes) throws IOException {
      out = socket.getOutputStream();
      in = new DataInputStream(socket.getInputStream());
      record = new byte[payloadBytes];
      new Random(42).nextBytes(record);
    }

    Histogram slice(long measureMs) throws Exception {
      return slice(SLICE_WARMUP_MS, measureMs);
    }

    @Override
    public void roundTrip() throws IOException {
      out.write(record);
      in.readFully(reply);
    }
  }

  /** Connects to the echo JVM, retrying while it starts (there is no event to await in another process). */
  static Socket connect(int port, Process echo) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return new Socket(InetAddress.getLoopbackAddress(), port);
      } catch (ConnectException notYet) {
        if (!echo.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("loopback echo on port " + port + " did not accept within 30 s", notYet);
        }
        Thread.sleep(50);
      }
    }
  }

  /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them; "n/a" off Linux. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
