package io.zab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decodes mutated and purely random bodies: each must either decode to a message or fail with a
 * {@link CodecException}. Any other throwable (IllegalArgumentException, BufferUnderflowException,
 * NegativeArraySizeException, OutOfMemoryError...) fails the test. Seeded, so a failure replays exactly.
 */
class MessageCodecFuzzTest {

  private static final long SEED = 20261125L;
  private static final int MUTATED_INPUTS = 120_000;
  private static final int RANDOM_INPUTS = 30_000;
  /** Corpus bodies stay small so each mutation is cheap; large bodies are covered by the round-trip tests. */
  private static final int MAX_CORPUS_BODY = 2048;
  private static final int[] INTERESTING_INTS = {
      0, 1, -1, 2, 7, 8, 12, 255, 256, 4096, Integer.MAX_VALUE, Integer.MIN_VALUE, 99_999_999,
      MessageCodec.DEFAULT_MAX_FRAME_BYTES, MessageCodec.DEFAULT_MAX_FRAME_BYTES + 1};
  private static final byte[] INTERESTING_BYTES = {0, 1, 2, 3, 6, 7, 0x7F, (byte) 0x80, (byte) 0xFF};

  private final MessageCodec codec = new MessageCodec();
  private int decoded;
  private int rejected;

  @Test
  void mutatedAndRandomBodiesDecodeOrFailWithCodecException() {
    Random random = new Random(SEED);
    List<byte[]> corpus = corpus();

    for (int i = 0; i < MUTATED_INPUTS; i++) {
      byte[] input = corpus.get(random.nextInt(corpus.size()));
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        input = mutate(input, random);
      }
      check(input, "mutated #" + i);
    }
    for (int i = 0; i < RANDOM_INPUTS; i++) {
      check(randomBody(random), "random #" + i);
    }

    System.out.printf("codec fuzz (seed %d): %d inputs, %d decoded, %d rejected with CodecException%n",
        SEED, MUTATED_INPUTS + RANDOM_INPUTS, decoded, rejected);
    assertThat(decoded + rejected).isEqualTo(MUTATED_INPUTS + RANDOM_INPUTS);
    // both outcomes must be well exercised, or the mutations are too weak (or too destructive) to test much
    assertThat(decoded).isGreaterThan(MUTATED_INPUTS / 20);
    assertThat(rejected).isGreaterThan(MUTATED_INPUTS / 2);
  }

  private void check(byte[] input, String what) {
    Message m;
    try {
      m = codec.decode(ByteBuffer.wrap(input));
    } catch (CodecException e) {
      rejected++;
      assertThat(e.offset()).as("offset of %s", e.getMessage()).isBetween(0, input.length);
      assertThat(e.typeByte()).isBetween(-1, 255);
      return;
    } catch (Throwable t) {
      throw new AssertionError(what + " threw " + t + " instead of CodecException for input "
          + HexFormat.of().formatHex(input), t);
    }
    decoded++;
    // the format has one encoding per message, so whatever decodes must re-encode to the very same bytes
    if (!Arrays.equals(codec.encode(m), input)) {
      fail(what + " decoded to " + m + " which re-encodes differently; input " + HexFormat.of().formatHex(input));
    }
  }

  /** Small valid bodies of every message type. */
  private List<byte[]> corpus() {
    List<byte[]> corpus = new ArrayList<>();
    for (Class<?> type : Message.class.getPermittedSubclasses()) {
      MessageGenerator generator = new MessageGenerator(SEED + type.getSimpleName().hashCode());
      for (int i = 0; i < 20; i++) {
        byte[] body = codec.encode(generator.next(type.asSubclass(Message.class)));
        if (body.length <= MAX_CORPUS_BODY) {
          corpus.add(body);
        }
      }
    }
    return corpus;
  }

  private static byte[] mutate(byte[] input, Random random) {
    byte[] out = input.clone();
    int kind = random.nextInt(8);
    if (out.length == 0 && kind != 3) {
      kind = 3;
    }
    switch (kind) {
      case 0 -> {  // bit flip
        int i = random.nextInt(out.length);
        out[i] ^= (byte) (1 << random.nextInt(8));
      }
      case 1 -> out[random.nextInt(out.length)] = random.nextBoolean()
          ? (byte) random.nextInt(256) : INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
      case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length));  // truncation
      case 3 -> out = insert(out, random);
      case 4 -> out = delete(out, random);
      case 5 -> putInt(out, random.nextInt(Math.max(1, out.length - 3)), interestingInt(out, random));
      case 6 -> tamperLengthField(out, random);
      default -> {  // reinterpret the fields as another type (or an unknown one)
        if (out.length > 1) {
          out[1] = (byte) random.nextInt(MessageType.values().length + 3);
        }
      }
    }
    return out;
  }

  private static byte[] insert(byte[] in, Random random) {
    int at = random.nextInt(in.length + 1);
    byte[] extra = new byte[1 + random.nextInt(8)];
    random.nextBytes(extra);
    byte[] out = new byte[in.length + extra.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(in, at, out, at + extra.length, in.length - at);
    return out;
  }

  private static byte[] delete(byte[] in, Random random) {
    int at = random.nextInt(in.length);
    int n = 1 + random.nextInt(Math.min(8, in.length - at));
    byte[] out = new byte[in.length - n];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(in, at + n, out, at, in.length - at - n);
    return out;
  }

  /** Overwrites the length or count field of the types that have one (offsets from the MessageType table). */
  private static void tamperLengthField(byte[] body, Random random) {
    if (body.length < 2) {
      return;
    }
    MessageType type = MessageType.fromCode(body[1] & 0xFF);
    int at = type == MessageType.REQUEST ? 10
        : type == MessageType.SNAP_CHUNK ? 18
        : type == MessageType.PROPOSAL ? (random.nextBoolean() ? 2 : 14)
        : random.nextInt(body.length);
    putInt(body, at, interestingInt(body, random));
  }

  private static int interestingInt(byte[] body, Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
      case 1 -> body.length + random.nextInt(9) - 4;  // near the real remaining size: off-by-one territory
      default -> random.nextInt();
    };
  }

  private static void putInt(byte[] body, int at, int value) {
    for (int i = 0; i < 4 && at + i < body.length; i++) {
      body[at + i] = (byte) (value >>> (24 - 8 * i));
    }
  }

  /** Random bytes, mostly behind a valid version and type so the field decoders are reached. */
  private static byte[] randomBody(Random random) {
    byte[] body = new byte[random.nextInt(48)];
    random.nextBytes(body);
    if (body.length > 0 && random.nextInt(4) != 0) {
      body[0] = MessageCodec.VERSION;
    }
    if (body.length > 1 && random.nextInt(4) != 0) {
      body[1] = (byte) (1 + random.nextInt(MessageType.values().length));
    }
    return body;
  }
}
