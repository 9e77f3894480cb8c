package io.zab.storage;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every {@link TxnLogTest} again with recycled segments (issue 12): the pool starts with more files than the tests
 * roll, each holding old records with the very zxids and payloads the tests write, so every segment after the first
 * overwrites one; the log behaves the same.
 */
class RecyclingTxnLogTest extends TxnLogTest {
  static final int POOL = 64;

  @BeforeEach
  void seedPool() throws IOException {
    LogFiles.seedRecycledPool(dir, POOL, 200);
  }

  @Override
  TxnLogOptions smallSegments() {
    return super.smallSegments().withRecycledFiles(POOL);
  }
}
