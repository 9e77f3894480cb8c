/**
 * Durable storage of a zab node: the segmented transaction log ({@link io.zab.storage.TxnLog}) and its
 * group-commit thread ({@link io.zab.storage.LogWriter}), the accepted/current epochs
 * ({@link io.zab.storage.EpochStore}) and application snapshots ({@link io.zab.storage.SnapshotStore}).
 *
 * <p>Rules this package keeps: nothing is reported durable before an fsync covers it; new files, renames and
 * deletions fsync their directory; damage a crash cannot explain stops the node with the file and offset
 * instead of being repaired silently; an fsync error is final. It never imports {@code io.zab.protocol}.
 */
package io.zab.storage;
