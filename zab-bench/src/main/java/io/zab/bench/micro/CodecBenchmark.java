package io.zab.bench.micro;

import io.zab.Zxid;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode/decode cost of a Proposal carrying 1 KiB transactions ({@code txns} per proposal: 1, or a batch
 * of 16 as the leader sends under load). Run:
 * {@code java -cp <zab-bench classpath> org.openjdk.jmh.Main CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

  @Param({"1", "16"})
  int txns;

  @Param({"1024"})
  int payloadBytes;

  private final MessageCodec codec = new MessageCodec();
  private Message proposal;
  private ByteBuffer encodeBuffer;
  private ByteBuffer encoded;

  @Setup
  public void setUp() {
    Random random = new Random(1);
    List<Txn> batch = new ArrayList<>();
    for (int i = 0; i < txns; i++) {
      byte[] data = new byte[payloadBytes];
      random.nextBytes(data);
      batch.add(new Txn(Zxid.of(7, 1000 + i), data));
    }
    proposal = new Message.Proposal(batch);
    encodeBuffer = ByteBuffer.allocate(codec.encodedSize(proposal));
    encoded = ByteBuffer.wrap(codec.encode(proposal));
  }

  /** Encode into a reused buffer (the transport's path). */
  @Benchmark
  public ByteBuffer encodeIntoBuffer() {
    encodeBuffer.clear();
    codec.encode(proposal, encodeBuffer);
    return encodeBuffer;
  }

  /** Encode into a fresh array, including its allocation. */
  @Benchmark
  public byte[] encodeToArray() {
    return codec.encode(proposal);
  }

  @Benchmark
  public Message decode() {
    return codec.decode(encoded.duplicate());
  }
}
