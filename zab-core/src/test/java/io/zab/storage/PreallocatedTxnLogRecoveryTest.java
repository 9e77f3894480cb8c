package io.zab.storage;

/**
 * Every {@link TxnLogRecoveryTest} again with preallocated segments (issue 12): torn tails, damage and refusals are
 * judged the same when the newest segment ends in zeros.
 */
class PreallocatedTxnLogRecoveryTest extends TxnLogRecoveryTest {
  @Override
  TxnLogOptions options() {
    return super.options().withPreallocation(true);
  }
}
