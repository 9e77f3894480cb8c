package io.zab.runtime;

import io.zab.ZabStatus.SnapshotTransfer;
import io.zab.Zxid;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import io.zab.wire.Message.SnapChunk;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages to a follower that must wait behind a snapshot being streamed to it (S7 SNAP: the snapshot precedes
 * every later message to that peer). A snapshot is sent chunk by chunk only while the transport says the peer
 * is writable, so a large snapshot neither fills the transport's queue (Netty closes a connection past its
 * hard bound) nor holds the protocol thread: the rest goes out on later batches (at least one per tick).
 * Peers with no snapshot in flight have no outbox and are sent to directly. Under the protocol lock only.
 */
final class PeerOutboxes {
  private static final Logger log = LoggerFactory.getLogger(PeerOutboxes.class);

  /** A snapshot that could not be read for {@code to}; everything queued for it has been dropped. */
  static final class SnapshotFailed extends Exception {
    final long to;
    final Zxid zxid;

    SnapshotFailed(long to, SnapshotSender s, IOException cause) {
      super("snapshot " + s.zxid() + " for server " + to + " cannot be read", cause);
      this.to = to;
      this.zxid = s.zxid();
    }
  }

  // Items are Messages or SnapshotSenders, in the order the core emitted them.
  private final Map<Long, ArrayDeque<Object>> boxes = new HashMap<>();
  private final LongConsumer snapshotBytesSent;

  /** @param snapshotBytesSent told the data bytes of each snapshot chunk handed to the transport */
  PeerOutboxes(LongConsumer snapshotBytesSent) {
    this.snapshotBytesSent = snapshotBytesSent;
  }

  /** The snapshots being sent, one per peer (the one at the head of its outbox), in peer order. */
  List<SnapshotTransfer> transfers() {
    List<SnapshotTransfer> out = new ArrayList<>();
    for (Map.Entry<Long, ArrayDeque<Object>> e : new TreeMap<>(boxes).entrySet()) {
      for (Object item : e.getValue()) {
        if (item instanceof SnapshotSender s) {
          out.add(new SnapshotTransfer(e.getKey(), SnapshotTransfer.Direction.SENDING, s.zxid(), s.sent(),
              OptionalLong.of(s.total())));
          break;
        }
      }
    }
    return out;
  }

  /** Whether no snapshot is being sent (nothing is held for any peer). */
  boolean empty() {
    return boxes.isEmpty();
  }

  /** Whether messages to {@code to} must queue here (a snapshot to it is still being sent). */
  boolean holding(long to) {
    return boxes.containsKey(to);
  }

  void add(long to, Message m) {
    boxes.get(to).add(m);
  }

  void add(long to, SnapshotSender s) {
    boxes.computeIfAbsent(to, k -> new ArrayDeque<>()).add(s);
  }

  /**
   * Sends what each peer can take now.
   *
   * @return how many messages were sent (the caller flushes if any)
   * @throws SnapshotFailed for the first peer whose snapshot could not be read (others are pumped next time)
   */
  int pumpAll(Transport transport) throws SnapshotFailed {
    int sent = 0;
    for (Long to : List.copyOf(boxes.keySet())) {
      sent += pump(transport, to, boxes.get(to));
    }
    return sent;
  }

  private int pump(Transport transport, long to, ArrayDeque<Object> box) throws SnapshotFailed {
    int sent = 0;
    while (!box.isEmpty() && transport.isWritable(to)) {
      Object head = box.peek();
      Message m;
      if (head instanceof SnapshotSender s) {
        try {
          m = s.next();
        } catch (IOException e) {
          drop(to);
          throw new SnapshotFailed(to, s, e);
        }
        if (((SnapChunk) m).last()) {
          box.poll();
          close(s);
        }
      } else {
        m = (Message) box.poll();
      }
      if (m instanceof SnapChunk c) {
        snapshotBytesSent.accept(c.data().length);
      }
      if (!transport.send(to, m)) {
        log.debug("server {} disconnected during a snapshot transfer; dropping what was queued for it", to);
        drop(to);
        return sent;
      }
      sent++;
    }
    if (box.isEmpty()) {
      boxes.remove(to);
    }
    return sent;
  }

  /** Forgets everything queued for {@code to} (its connection is gone, or its sync was abandoned). */
  void drop(long to) {
    ArrayDeque<Object> box = boxes.remove(to);
    if (box != null) {
      box.stream().filter(SnapshotSender.class::isInstance).forEach(s -> close((SnapshotSender) s));
    }
  }

  /** Closes every open snapshot (the node stops). */
  void dropAll() {
    List.copyOf(boxes.keySet()).forEach(this::drop);
  }

  private static void close(SnapshotSender s) {
    try {
      s.close();
    } catch (IOException e) {
      log.debug("closing snapshot {}: {}", s.zxid(), e.toString());
    }
  }
}
