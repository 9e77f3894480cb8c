package io.zab.runtime;

import io.zab.ClusterConfiguration;
import io.zab.FileSyncer;
import io.zab.Member;
import io.zab.StateMachine;
import io.zab.protocol.Timing;
import io.zab.storage.TxnLogOptions;
import io.zab.transport.TransportFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A node's validated configuration (built by {@code ZabNode.Builder}). Internal: not part of the embedding API.
 *
 * @param members the voters of the initial configuration (a configuration that came through the log replaces it)
 * @param observers the observers of the initial configuration
 * @param maxFrameBytes the largest message body the node sends (the transport's cap is used if smaller)
 * @param maxInFlightBytes the flow-control window per peer (see {@code ZabNode.Builder.maxInFlightBytes})
 * @param logSegmentBytes the size at which the log rolls to a new segment file
 * @param logPreallocation whether log segments are preallocated ({@code TxnLogOptions.preallocate})
 * @param logRecycling whether compacted log segments are recycled ({@code TxnLogOptions.recycle})
 * @param syncer the fsync hook of the log (tests inject failures through it)
 * @param maxApplyBacklogBytes committed-but-unapplied txns (payload + 64 bytes each) past which the server
 *     refuses submits and stops reading from the network
 * @param maxLogBacklogBytes log writes queued and not yet durable (payload + 64 bytes each) past which the
 *     server refuses submits and stops reading from the network
 * @param callbackExecutor where futures complete and listeners run, or null for a thread of the node
 * @param monitoring the status period and the metrics binding
 */
public record NodeConfig(long serverId, List<Member> members, List<Member> observers, Path dataDir,
    TransportFactory transport,
    StateMachine stateMachine, long tickMillis, Timing timing, int snapshotEveryTxns, int maxTxnBytes,
    int maxOutstanding, int maxBatchTxns, int maxFrameBytes, long maxInFlightBytes, long logSegmentBytes,
    boolean logPreallocation, boolean logRecycling, FileSyncer syncer, long maxApplyBacklogBytes, long maxLogBacklogBytes, Executor callbackExecutor,
    Monitoring monitoring) {
  public NodeConfig {
    members = List.copyOf(members);
    observers = List.copyOf(observers);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(stateMachine, "stateMachine");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(syncer, "syncer");
    Objects.requireNonNull(monitoring, "monitoring");
  }

  /** The configuration this server starts with when its log and snapshot record none (version 0). */
  public ClusterConfiguration initial() {
    return new ClusterConfiguration(0, members, observers);
  }

  /** The storage options these settings stand for. */
  public TxnLogOptions logOptions() {
    return TxnLogOptions.defaults().withMaxTxnBytes(maxTxnBytes).withSegmentBytes(logSegmentBytes).withSyncer(syncer)
        .withPreallocation(logPreallocation).withRecycling(logRecycling)
        .forServer(serverId);
  }
}
