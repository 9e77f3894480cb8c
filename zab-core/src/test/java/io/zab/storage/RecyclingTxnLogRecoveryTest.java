package io.zab.storage;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every {@link TxnLogRecoveryTest} again with recycled segments (issue 12): every segment after the first overwrites a
 * pool file holding old records with the very zxids and payloads the test writes, so the newest segment is followed
 * by old valid-looking records; torn tails, damage and refusals are judged the same.
 */
class RecyclingTxnLogRecoveryTest extends TxnLogRecoveryTest {
  static final int POOL = 64;

  @BeforeEach
  void seedPool() throws IOException {
    LogFiles.seedRecycledPool(dir, POOL, 200);
  }

  @Override
  TxnLogOptions options() {
    return super.options().withRecycledFiles(POOL);
  }
}
