package io.zab.runtime;

import io.zab.ZabStatus.SnapshotTransfer;
import io.zab.Zxid;
import io.zab.protocol.Event;
import io.zab.protocol.Event.PeerDisconnected;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's outgoing messages and snapshots (S7 SNAP), FIFO per peer: a snapshot streams with bounded memory
 * and respects the transport's backpressure ({@link PeerOutboxes}); one that cannot be read abandons that
 * follower's sync. Under the protocol lock only (the protocol thread or one running a batch for it).
 */
final class Outbound {
  private static final Logger log = LoggerFactory.getLogger(Outbound.class);

  private final long serverId;
  private final Transport transport;
  private final LocalSnapshots snapshots;
  private final PeerOutboxes outboxes;
  /** Peers whose sync was abandoned and which the core has not yet been told are gone. */
  private final Set<Long> abandoned = new HashSet<>();
  private final List<Event> feedback = new ArrayList<>();
  private final BiConsumer<Zxid, IOException> unreadable;
  private boolean unflushed;

  /**
   * @param snapshotBytesSent told the data bytes of each snapshot chunk sent
   * @param unreadable told of a snapshot that could not be read (missing, damaged), so that it is replaced
   */
  Outbound(long serverId, Transport transport, LocalSnapshots snapshots, LongConsumer snapshotBytesSent,
      BiConsumer<Zxid, IOException> unreadable) {
    this.serverId = serverId;
    this.unreadable = unreadable;
    this.outboxes = new PeerOutboxes(snapshotBytesSent);
    this.transport = transport;
    this.snapshots = snapshots;
  }

  void send(long to, Message m) {
    if (abandoned.contains(to)) {
      // The rest of a sync stream whose snapshot is missing: the follower must never get it without the snapshot.
      log.debug("server {} -> {}: {} (dropped: the sync was abandoned)", serverId, to, m);
    } else if (outboxes.holding(to)) {
      outboxes.add(to, m);
    } else {
      boolean queued = transport.send(to, m);
      if (log.isDebugEnabled()) {
        log.debug("server {} -> {}: {}{}", serverId, to, m, queued ? "" : " (dropped: not connected)");
      }
      unflushed = true;
    }
  }

  /** Queues the snapshot at {@code zxid} for {@code to}, ahead of every later message to it. */
  void sendSnapshot(long to, Zxid zxid) {
    if (abandoned.contains(to)) {
      return;
    }
    try {
      outboxes.add(to, SnapshotSender.open(snapshots, to, zxid, transport.maxFrameBytes()));
    } catch (IOException e) {
      abandon(to, zxid, e);
      unreadable.accept(zxid, e);
    }
  }

  /**
   * Flushes the messages sent so far, e.g. proposals before the leader's own log write is handed off, so that
   * followers start their fsync while the leader does its own rather than after its log thread has woken.
   */
  void flushSent() {
    if (unflushed) {
      transport.flush();
      unflushed = false;
    }
  }

  /** Sends what the peers with a snapshot in flight can take now, then flushes what was sent. */
  void flush() {
    while (true) {
      try {
        unflushed |= outboxes.pumpAll(transport) > 0;
        break;
      } catch (PeerOutboxes.SnapshotFailed e) {
        abandon(e.to, e.zxid, e);
        unreadable.accept(e.zxid, (IOException) e.getCause());
      }
    }
    if (unflushed) {
      transport.flush();
      unflushed = false;
    }
  }

  /**
   * The core is about to handle {@code batch}: a peer it hears is disconnected gets nothing more of what was
   * queued for the old connection, and an abandoned peer is no longer abandoned once the core knows it is gone.
   */
  void beforeBatch(List<Event> batch) {
    for (Event e : batch) {
      if (e instanceof PeerDisconnected d) {
        outboxes.drop(d.peer());
        abandoned.remove(d.peer());
      }
    }
  }

  /** Events the core must handle before anything else (an abandoned sync); empties the list. */
  List<Event> takeFeedback() {
    List<Event> out = List.copyOf(feedback);
    feedback.clear();
    return out;
  }

  /** Whether a snapshot is being sent: then every {@link #flush} reads from it. */
  boolean streaming() {
    return !outboxes.empty();
  }

  /** The snapshots being sent now. */
  List<SnapshotTransfer> snapshotTransfers() {
    return outboxes.transfers();
  }

  /** Closes the snapshots still being sent (the node stops). */
  void close() {
    outboxes.dropAll();
  }

  /**
   * A snapshot that cannot be read (missing, damaged) must neither stop the leader nor be followed by the rest of
   * the sync stream: everything queued for the follower is dropped, the core is told it is gone (so it forgets
   * it and stops pinging it), and the follower, hearing nothing more, gives up after initLimit and rejoins.
   * Meanwhile the snapshot is replaced ({@link UnreadableSnapshots}), or every later sync of a lagging follower
   * would fail the same way.
   */
  private void abandon(long to, Zxid zxid, Exception e) {
    outboxes.drop(to);
    abandoned.add(to);
    feedback.add(new PeerDisconnected(to));
    log.error("server {}: cannot send snapshot {} to server {}; abandoning that follower's sync (it will retry)",
        serverId, zxid, to, e);
  }
}
