package io.zab.runtime;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.protocol.Event;
import io.zab.storage.Directories;
import io.zab.wire.Message;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.zab.ZabThreads;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A measuring aid, off by default: stamps {@link System#nanoTime()} at each thread hand-off a write crosses (see
 * {@link Hop}), so that the time at one in flight can be split per hop (docs/benchmarks.md, issue 12). Enabled
 * by the system property {@value #PROPERTY} naming a directory; the node appends its stamps there, once a second and when it
 * closes, to {@code hops-<id>.csv} ({@code hop,key,nanos}; the key is a zxid, or a request id for the first two hops and
 * {@link Hop#COMPLETE}, which pairs it with its zxid) Stamps past the buffer are dropped. Disabled, every call is
 * one branch on a final field. Thread-safe.
 */
final class HopTrace {
  static final String PROPERTY = "zab.traceHops";
  private static final Logger log = LoggerFactory.getLogger(HopTrace.class);
  private static final int CAPACITY = 1 << 19;

  /** The hand-offs, in the order a write submitted on the leader crosses them (a follower stamps its own). */
  enum Hop {
    /** Application thread: submit() queued the request (key: request id). */
    SUBMIT,
    /** Protocol thread: the batch holding the request starts (key: request id). */
    SUBMIT_TAKEN,
    /** Protocol thread: the core's Complete names the request's zxid (key: request id; the time column holds the zxid). */
    COMPLETE,
    /** Protocol thread: a proposal reached the log writer (after the proposals were flushed to the transport). */
    APPEND,
    /** Log writer thread: an fsync covered this zxid. */
    DURABLE,
    /** Transport thread: a proposal arrived (key: its last zxid). */
    PROPOSAL_IN,
    /**
     * The batch holding that proposal starts: on the transport's thread while the protocol is idle
     * ({@link ProtocolLoop#tryRunHere}), else on the protocol thread.
     */
    PROPOSAL_TAKEN,
    /** Transport thread: it ran the batch of that proposal itself (the protocol was idle). */
    PROPOSAL_RUN_HERE,
    /**
     * The batch holding the log writer's durability report starts: on the log writer itself while the protocol is
     * idle ({@link ProtocolLoop#tryRunHere}), else on the protocol thread.
     */
    PERSISTED_TAKEN,
    /** The thread running the batch: an ACK was handed to the transport (and flushed at the end of the batch). */
    ACK_SENT,
    /** Transport thread: an ACK arrived. */
    ACK_IN,
    /** The batch holding that ACK starts: on the transport's thread while the protocol is idle, else on its own. */
    ACK_TAKEN,
    /** Transport thread: it ran the batch of that ACK itself (the protocol was idle). */
    ACK_RUN_HERE,
    /** The thread running the batch: the committed txns were handed to the apply thread (key: last zxid). */
    DELIVER,
    /** Apply thread: a batch was applied (key: its last zxid). */
    APPLIED,
    /** Callback executor: the future of a write was completed (key: zxid). */
    COMPLETED
  }

  private final long serverId;
  private final Path dir;
  private final long[] stamps; // hop, key, nanos
  private final AtomicInteger next = new AtomicInteger();
  private int written; // guarded by this
  private volatile boolean closed;

  private HopTrace(long serverId, Path dir) {
    this.serverId = serverId;
    this.dir = dir;
    this.stamps = dir == null ? null : new long[CAPACITY * 3];
  }

  /** The trace the system property asks for: disabled unless it names a directory (relative: to the working one). */
  static HopTrace fromSystemProperty(long serverId) {
    return into(serverId, Path.of(""), System.getProperty(PROPERTY, ""));
  }

  /**
   * A trace written into the directory {@code setting} names, resolved against {@code base}; disabled if it is blank
   * (not written into {@code base}: a test can tell).
   */
  static HopTrace into(long serverId, Path base, String setting) {
    return new HopTrace(serverId, setting.isBlank() ? null : base.resolve(setting));
  }

  static HopTrace disabled() {
    return new HopTrace(0, null);
  }

  boolean enabled() {
    return stamps != null;
  }

  void stamp(Hop hop, long key) {
    if (stamps == null) {
      return;
    }
    long now = System.nanoTime();
    int i = next.getAndIncrement();
    if (i < CAPACITY) {
      stamps[3 * i] = hop.ordinal();
      stamps[3 * i + 1] = key;
      stamps[3 * i + 2] = now;
    }
  }

  /** Pairs a request id with its zxid (a {@link Hop#COMPLETE} row, the zxid in place of the time). */
  void pair(long requestId, Zxid zxid) {
    if (stamps == null) {
      return;
    }
    int i = next.getAndIncrement();
    if (i < CAPACITY) {
      stamps[3 * i] = Hop.COMPLETE.ordinal();
      stamps[3 * i + 1] = requestId;
      stamps[3 * i + 2] = zxid.value();
    }
  }

  void stamp(Hop hop, Zxid zxid) {
    stamp(hop, zxid.value());
  }

  /** At the start of a batch, on the thread running it: the events of a write's path it holds. */
  void batchTaken(List<Event> batch) {
    if (stamps == null) {
      return;
    }
    for (Event e : batch) {
      if (e instanceof Event.Submit s) {
        stamp(Hop.SUBMIT_TAKEN, s.requestId());
      } else if (e instanceof Event.Persisted p) {
        stamp(Hop.PERSISTED_TAKEN, p.zxid());
      } else if (e instanceof Event.Received r) {
        received(r.message(), Hop.PROPOSAL_TAKEN, Hop.ACK_TAKEN);
      }
    }
  }

  /** A message arrived, was taken into a batch, or had its batch run on the transport's thread. */
  void received(Message m, Hop proposal, Hop ack) {
    if (stamps == null) {
      return;
    }
    if (m instanceof Message.Proposal p && !p.txns().isEmpty()) {
      stamp(proposal, p.txns().get(p.txns().size() - 1).zxid());
    } else if (m instanceof Message.Ack a) {
      stamp(ack, a.zxid());
    }
  }

  /**
   * Starts a daemon thread that appends the new stamps to {@code hops-<id>.csv} every second (a benchmark may kill
   * the JVM rather than close the node); {@link #close()} writes the rest. Nothing when disabled.
   */
  void start() {
    if (stamps == null) {
      return;
    }
    Thread t = ZabThreads.newThread(serverId, "hop-trace", () -> {
      try {
        while (!closed) {
          Thread.sleep(1_000); // a periodic dump, not a wait for a condition
          write(16); // the newest rows may be reserved but not yet filled
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    t.setDaemon(true);
    t.start();
  }

  /** Writes the rest of the stamps; once, when the node closes. */
  void close() {
    if (stamps == null) {
      return;
    }
    closed = true;
    write(0);
  }

  private synchronized void write(int lag) {
    int n = Math.min(next.get(), CAPACITY) - lag;
    if (n <= written) {
      return;
    }
    try {
      Directories.createDurably(dir, FileSyncer.SYSTEM); // the project's one way to create a directory
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("hops-" + serverId + ".csv"),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
        for (int i = written; i < n; i++) {
          out.println(Hop.values()[(int) stamps[3 * i]] + "," + stamps[3 * i + 1] + "," + stamps[3 * i + 2]);
        }
      }
      written = n;
    } catch (IOException e) {
      log.warn("server {}: could not write the hop trace to {}", serverId, dir, e);
    }
  }
}
