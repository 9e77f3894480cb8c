package io.zab.runtime;

import io.zab.Member;
import io.zab.StateMachine;
import io.zab.protocol.Timing;
import io.zab.storage.FileSyncer;
import io.zab.transport.TransportFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A node's validated configuration (built by {@code ZabNode.Builder}). Internal: not part of the embedding API.
 *
 * @param syncer the fsync hook of the log (tests inject failures through it)
 */
public record NodeConfig(long serverId, List<Member> members, Path dataDir, TransportFactory transport,
    StateMachine stateMachine, long tickMillis, Timing timing, int snapshotEveryTxns, int maxTxnBytes,
    int maxOutstanding, int maxBatchTxns, FileSyncer syncer) {
  public NodeConfig {
    members = List.copyOf(members);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(stateMachine, "stateMachine");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(syncer, "syncer");
  }

  /** A copy with another fsync hook. */
  public NodeConfig withSyncer(FileSyncer s) {
    return new NodeConfig(serverId, members, dataDir, transport, stateMachine, tickMillis, timing, snapshotEveryTxns,
        maxTxnBytes, maxOutstanding, maxBatchTxns, s);
  }
}
