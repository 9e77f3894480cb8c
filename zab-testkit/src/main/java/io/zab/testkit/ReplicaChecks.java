package io.zab.testkit;

import io.zab.Zxid;
import io.zab.testkit.timeline.TimelineEvent;
import io.zab.testkit.timeline.TimelineRecorder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the servers of a {@link NodeCluster} applied, checked as they apply it: two servers never apply
 * different txns at one zxid (Agreement), and each server applies in increasing zxid order (TotalOrder). It
 * keeps one copy of each committed payload, up to {@link #MAX_TRACKED_BYTES}; past that it stops tracking
 * new zxids (and says so) rather than exhaust the test's memory.
 */
final class ReplicaChecks {
  static final long MAX_TRACKED_BYTES = 256L << 20;
  private static final int MAX_VIOLATIONS = 100;

  private final TimelineRecorder timeline;
  private final Map<Long, byte[]> payloadAt = new HashMap<>();
  private final Map<Long, Zxid> lastApplied = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long trackedBytes;
  private boolean full;

  ReplicaChecks(TimelineRecorder timeline) {
    this.timeline = timeline;
  }

  /** Server {@code server} restored a snapshot (at start, or shipped by the leader): its order starts over. */
  synchronized void restored(long server) {
    lastApplied.remove(server);
  }

  void applied(long server, Zxid zxid, ByteBuffer txn) {
    synchronized (this) {
      Zxid last = lastApplied.put(server, zxid);
      if (last != null && !zxid.isAfter(last)) {
        violation("TotalOrder: s" + server + " applied " + zxid + " after " + last);
      }
      byte[] known = payloadAt.get(zxid.value());
      if (known != null) {
        if (!ByteBuffer.wrap(known).equals(txn)) {
          violation("Agreement: s" + server + " applied a different txn at " + zxid + " than another server ("
              + txn.remaining() + " bytes vs " + known.length + ")");
        }
      } else if (!full) {
        if (trackedBytes + txn.remaining() > MAX_TRACKED_BYTES) {
          full = true;
        } else {
          byte[] copy = new byte[txn.remaining()];
          txn.duplicate().get(copy);
          payloadAt.put(zxid.value(), copy);
          trackedBytes += copy.length;
        }
      }
    }
    timeline.record(new TimelineEvent.Committed(timeline.now(), server, zxid, 1));
  }

  private void violation(String what) {
    if (violations.size() < MAX_VIOLATIONS) {
      violations.add(what);
    }
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Whether some server applied a txn with exactly this payload (among the tracked ones). */
  synchronized boolean committed(byte[] payload) {
    requireComplete();
    return payloadAt.values().stream().anyMatch(p -> Arrays.equals(p, payload));
  }

  private void requireComplete() {
    if (full) {
      throw new IllegalStateException("the cluster applied more than " + (MAX_TRACKED_BYTES >> 20)
          + " MiB of payloads; only the first ones were kept, so this cannot be answered");
    }
  }
}
