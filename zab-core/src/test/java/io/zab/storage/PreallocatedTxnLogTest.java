package io.zab.storage;

/** Every {@link TxnLogTest} again with preallocated segments (issue 12): the log behaves the same. */
class PreallocatedTxnLogTest extends TxnLogTest {
  @Override
  TxnLogOptions smallSegments() {
    return super.smallSegments().withPreallocation(true);
  }
}
