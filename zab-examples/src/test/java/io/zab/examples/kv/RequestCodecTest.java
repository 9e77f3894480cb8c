package io.zab.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.examples.codec.MalformedDataException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCodecTest {

  private static final List<Command> EVERY_COMMAND = List.of(
      new Command.Put("k", "välue"),
      new Command.Delete("k"),
      new Command.CompareAndSet("k", null, "v"),
      new Command.CompareAndSet("k", "old", "new"),
      new Command.OpenSession(5000),
      new Command.TouchSessions(List.of(1L, 2L, Long.MAX_VALUE)),
      new Command.CloseSession(42),
      new Command.Tick(7, 123456, 2000),
      new Command.Acquire("lock", 42, true),
      new Command.Acquire("lock", 42, false),
      new Command.Release("lock", 42),
      new Command.CancelWait("lock", 42));

  @Test
  void everyCommandRoundTrips() throws Exception {
    for (Command c : EVERY_COMMAND) {
      assertThat(RequestCodec.decode("test", ByteBuffer.wrap(RequestCodec.encode(c)))).isEqualTo(c);
    }
  }

  /** Logs written by earlier builds hold version 1 txns, with an origin tag and a sequence number: still read. */
  @Test
  void version1TxnsWithAnOriginTagStillDecode() throws Exception {
    for (Command c : EVERY_COMMAND) {
      byte[] v2 = RequestCodec.encode(c);
      ByteBuffer v1 = ByteBuffer.allocate(v2.length + 16);
      v1.put((byte) 1).putLong(-99).putLong(17).put(v2, 1, v2.length - 1).flip();
      assertThat(RequestCodec.decode("test", v1)).isEqualTo(c);
    }
  }

  @Test
  void theTxnIsTheVersionTheTypeAndTheFields_nothingElse() {
    assertThat(RequestCodec.encode(new Command.CloseSession(3)))
        .containsExactly(2, 6, 0, 0, 0, 0, 0, 0, 0, 3);
  }

  @Test
  void truncatedTxnNamesFieldAndOffset() {
    byte[] full = RequestCodec.encode(new Command.Put("key", "value"));
    byte[] cut = Arrays.copyOf(full, full.length - 2);
    assertThatThrownBy(() -> RequestCodec.decode("txn 0x1:0x5", ByteBuffer.wrap(cut)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage("txn 0x1:0x5: bad value at offset 9: input ends early");
  }

  @Test
  void unknownTypeIsRejected() {
    byte[] bytes = RequestCodec.encode(new Command.CloseSession(3));
    bytes[1] = 99;
    assertThatThrownBy(() -> RequestCodec.decode("t", ByteBuffer.wrap(bytes)))
        .hasMessage("t: bad type at offset 1: unknown command type 99");
  }

  @Test
  void wrongVersionAndTrailingBytesAreRejected() {
    byte[] bytes = RequestCodec.encode(new Command.CloseSession(3));
    byte[] badVersion = bytes.clone();
    badVersion[0] = 9;
    assertThatThrownBy(() -> RequestCodec.decode("t", ByteBuffer.wrap(badVersion)))
        .hasMessage("t: bad version at offset 0: unsupported version 9, expected 2 (or 1)");
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> RequestCodec.decode("t", ByteBuffer.wrap(trailing)))
        .hasMessageContaining("unexpected trailing bytes");
  }

  @Test
  void invariantViolationInDecodedFieldsIsMalformed() {
    byte[] bytes = RequestCodec.encode(new Command.OpenSession(1000));
    ByteBuffer.wrap(bytes).putLong(2, -5);
    assertThatThrownBy(() -> RequestCodec.decode("t", ByteBuffer.wrap(bytes)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("session timeout must be positive, got -5");
  }

  @Test
  void hugeStringLengthIsRejectedWithoutAllocating() {
    byte[] bytes = RequestCodec.encode(new Command.Delete("k"));
    ByteBuffer.wrap(bytes).putInt(2, Integer.MAX_VALUE);
    assertThatThrownBy(() -> RequestCodec.decode("t", ByteBuffer.wrap(bytes)))
        .hasMessageContaining("bad key at offset 2: length 2147483647 outside");
  }
}
