package io.zab.examples.kv;

import io.zab.ResultStateMachine;
import io.zab.Zxid;
import io.zab.examples.codec.BinaryIn;
import io.zab.examples.codec.BinaryOut;
import io.zab.examples.codec.MalformedDataException;
import io.zab.examples.kv.Command.Acquire;
import io.zab.examples.kv.Command.CancelWait;
import io.zab.examples.kv.Command.CloseSession;
import io.zab.examples.kv.Command.CompareAndSet;
import io.zab.examples.kv.Command.Delete;
import io.zab.examples.kv.Command.OpenSession;
import io.zab.examples.kv.Command.Put;
import io.zab.examples.kv.Command.Release;
import io.zab.examples.kv.Command.Tick;
import io.zab.examples.kv.Command.TouchSessions;
import io.zab.examples.lock.LockTable;
import io.zab.examples.lock.LockTable.AcquireResult;
import io.zab.examples.lock.LockTable.Grant;
import io.zab.examples.lock.LockTable.LockView;
import io.zab.examples.lock.LockTable.ReleaseResult;
import io.zab.examples.session.SessionTable;
import io.zab.examples.session.SessionTable.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state of the example service: a key-value map, client sessions (S9) and distributed locks
 * with fencing tokens (S11). Every replica applies the same txns in zxid order; an outcome depends only on
 * the txn and the state, so all replicas agree on every result, every session expiry and every lock grant. The
 * outcome of each txn goes back to the node that submitted it with the txn's future.
 *
 * <pre>{@code
 * KvStateMachine sm = new KvStateMachine(listener);
 * ZabNode node = ZabNode.builder()...stateMachine(sm).build();
 * Outcome o = node.<Outcome>submitForResult(RequestCodec.encode(new Command.Put("greeting", "hi"))).join().result();
 * sm.get("greeting");                      // a local read: may be stale (S9)
 * node.sync().join(); sm.get("greeting");  // a read after a sync barrier: sees every earlier commit
 * }</pre>
 *
 * <p>Threading: {@code apply}, {@code snapshot} and {@code restore} come from the node's apply thread; the
 * read methods may be called from any thread (all access is under this object's monitor). The listener is
 * called on the apply thread after the state changed, outside the monitor.
 */
public final class KvStateMachine implements ResultStateMachine<Outcome> {
  private static final Logger log = LoggerFactory.getLogger(KvStateMachine.class);
  private static final int SNAPSHOT_MAGIC = 0x5A4B5631; // "ZKV1"
  private static final byte SNAPSHOT_VERSION = 1;

  private final KvListener listener;
  private KvData data = new KvData();
  private SessionTable sessions = new SessionTable();
  private LockTable locks = new LockTable();
  private Zxid applied = Zxid.ZERO;

  public KvStateMachine(KvListener listener) {
    this.listener = listener;
  }

  /** Side effects of one txn that the listener hears about after the state changed. */
  private static final class Effects {
    final List<Grant> grants = new ArrayList<>();
    final List<Long> endedSessions = new ArrayList<>();
  }

  /**
   * Applies one txn and returns its outcome, which zab hands to the submitter's future
   * ({@code ZabNode.submitForResult}). Refusals (a CAS that does not match, a lock held by another session, an
   * unknown session, a txn that does not decode) are outcomes, never exceptions: an exception would stop the node.
   */
  @Override
  public Outcome applyForResult(Zxid zxid, ByteBuffer txn) {
    Command command;
    try {
      command = RequestCodec.decode("txn " + zxid, txn);
    } catch (MalformedDataException e) {
      log.warn("skipping malformed txn: {}", e.getMessage());
      synchronized (this) {
        applied = zxid;
      }
      return new Outcome.Malformed(e.getMessage());
    }
    Effects fx = new Effects();
    Outcome outcome;
    synchronized (this) {
      outcome = execute(zxid, command, fx);
      applied = zxid;
    }
    fx.endedSessions.forEach(listener::sessionEnded);
    fx.grants.forEach(g -> listener.lockGranted(g.lock(), g.sessionId(), g.fencingToken()));
    return outcome;
  }

  private Outcome execute(Zxid zxid, Command command, Effects fx) {
    long z = zxid.value();
    if (command instanceof Put c) {
      return new Outcome.Written(c.key(), z, data.put(c.key(), c.value(), z).map(Entry::value).orElse(null));
    }
    if (command instanceof Delete c) {
      return new Outcome.Deleted(c.key(), data.remove(c.key()).map(Entry::value).orElse(null));
    }
    if (command instanceof CompareAndSet c) {
      return compareAndSet(c, z);
    }
    if (command instanceof OpenSession c) {
      sessions.open(z, c.timeoutMillis());
      return new Outcome.SessionOpened(z, c.timeoutMillis());
    }
    if (command instanceof TouchSessions c) {
      return new Outcome.SessionsTouched(c.sessionIds().stream().filter(id -> !sessions.touch(id)).toList());
    }
    if (command instanceof CloseSession c) {
      boolean existed = sessions.close(c.sessionId());
      if (existed) {
        endSession(c.sessionId(), z, fx);
      }
      return new Outcome.SessionClosed(c.sessionId(), existed);
    }
    if (command instanceof Tick c) {
      List<Long> expired = sessions.tick(zxid.epoch(), c.sourceTag(), c.clockMillis(), c.maxAdvanceMillis());
      expired.forEach(id -> endSession(id, z, fx));
      if (!expired.isEmpty()) {
        log.info("sessions expired at {} (session clock {} ms): {}", zxid, sessions.clockMillis(), expired);
      }
      return new Outcome.Ticked(sessions.clockMillis(), expired);
    }
    if (command instanceof Acquire c) {
      return acquire(c, z, fx);
    }
    if (command instanceof Release c) {
      return release(c, z, fx);
    }
    if (command instanceof CancelWait c) {
      if (sessions.get(c.sessionId()).isEmpty()) {
        return new Outcome.UnknownSession(c.sessionId());
      }
      return locks.cancelWait(c.lock(), c.sessionId())
          .<Outcome>map(g -> new Outcome.LockGranted(g.lock(), g.sessionId(), g.fencingToken()))
          .orElse(new Outcome.NotAcquired(c.lock(), c.sessionId()));
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private Outcome compareAndSet(CompareAndSet c, long z) {
    Optional<Entry> current = data.get(c.key());
    boolean matches = c.expected() == null
        ? current.isEmpty()
        : current.isPresent() && current.get().value().equals(c.expected());
    if (!matches) {
      return new Outcome.CasResult(c.key(), false, current.map(Entry::value).orElse(null),
          current.map(Entry::version).orElse(0L));
    }
    data.put(c.key(), c.value(), z);
    return new Outcome.CasResult(c.key(), true, c.value(), z);
  }

  private Outcome acquire(Acquire c, long z, Effects fx) {
    if (sessions.get(c.sessionId()).isEmpty()) {
      return new Outcome.UnknownSession(c.sessionId());
    }
    AcquireResult r = locks.acquire(c.lock(), c.sessionId(), c.queue(), z);
    if (r instanceof AcquireResult.Granted g) {
      if (!g.alreadyHeld()) {
        fx.grants.add(g.grant());
      }
      return new Outcome.LockGranted(c.lock(), c.sessionId(), g.grant().fencingToken());
    }
    if (r instanceof AcquireResult.Queued q) {
      return new Outcome.LockQueued(c.lock(), c.sessionId(), q.position());
    }
    return new Outcome.LockBusy(c.lock(), ((AcquireResult.Busy) r).holder());
  }

  private Outcome release(Release c, long z, Effects fx) {
    if (sessions.get(c.sessionId()).isEmpty()) {
      return new Outcome.UnknownSession(c.sessionId());
    }
    ReleaseResult r = locks.release(c.lock(), c.sessionId(), z);
    if (r instanceof ReleaseResult.Released released) {
      released.next().ifPresent(fx.grants::add);
      return new Outcome.LockReleased(c.lock(), c.sessionId());
    }
    return new Outcome.NotLockHolder(c.lock(), c.sessionId(), ((ReleaseResult.NotHolder) r).holder());
  }

  private void endSession(long id, long z, Effects fx) {
    fx.endedSessions.add(id);
    fx.grants.addAll(locks.sessionEnded(id, z));
  }

  // ---- local reads (may be stale, S9; call node.sync() first for a read that sees every earlier commit)

  public synchronized Optional<Entry> get(String key) {
    return data.get(key);
  }

  public synchronized int keyCount() {
    return data.size();
  }

  /** Every entry whose key starts with {@code prefix} ("" for all), in key order: a copy. */
  public synchronized SortedMap<String, Entry> entries(String prefix) {
    return data.withPrefix(prefix);
  }

  public synchronized Optional<Session> session(long id) {
    return sessions.get(id);
  }

  public synchronized int sessionCount() {
    return sessions.size();
  }

  public synchronized long sessionClockMillis() {
    return sessions.clockMillis();
  }

  public synchronized Optional<LockView> lock(String name) {
    return locks.view(name);
  }

  /** The zxid of the last txn applied here. */
  public synchronized Zxid appliedZxid() {
    return applied;
  }

  /** A checksum of the whole state with the zxid it belongs to: replicas at the same zxid must agree. */
  public synchronized StateDigest digest() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      snapshot(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: in-memory stream", e);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    return new StateDigest(applied, crc.getValue());
  }

  /** The whole state's checksum at a zxid. */
  public record StateDigest(Zxid zxid, long crc32c) {}

  // ---- snapshots

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    BinaryOut o = new BinaryOut(out);
    o.writeInt(SNAPSHOT_MAGIC).writeByte(SNAPSHOT_VERSION).writeLong(applied.value());
    data.writeTo(o);
    sessions.writeTo(o);
    locks.writeTo(o);
    o.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    BinaryIn i = new BinaryIn("kv snapshot", in);
    int magic = i.readInt("magic");
    if (magic != SNAPSHOT_MAGIC) {
      throw i.malformed("magic", 0, String.format("expected 0x%08x, got 0x%08x", SNAPSHOT_MAGIC, magic));
    }
    byte version = i.readByte("version");
    if (version != SNAPSHOT_VERSION) {
      throw i.malformed("version", 4, "unsupported version " + version + ", expected " + SNAPSHOT_VERSION);
    }
    Zxid at = new Zxid(i.readLong("appliedZxid"));
    KvData d = KvData.readFrom(i);
    SessionTable s = SessionTable.readFrom(i);
    LockTable l = LockTable.readFrom(i);
    synchronized (this) {
      data = d;
      sessions = s;
      locks = l;
      applied = at;
    }
    log.info("restored snapshot at {}: {} keys, {} sessions", at, d.size(), s.size());
  }
}
