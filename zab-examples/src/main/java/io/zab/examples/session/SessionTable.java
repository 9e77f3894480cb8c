package io.zab.examples.session;

import io.zab.examples.codec.BinaryIn;
import io.zab.examples.codec.BinaryOut;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Client sessions (S9) and the replicated session clock. Pure and deterministic: time is only what
 * {@link #tick} txns say, so every replica expires the same sessions at the same zxid.
 *
 * <p>The clock advances by the difference between consecutive readings of one source (one leader process
 * in one epoch), capped per tick. A new source restarts from its first reading without advancing, so the
 * gap during a leader change is not counted against any session: sessions may live longer than their
 * timeout, never shorter (the safe side for locks). Not thread-safe: the owning state machine serializes.
 */
public final class SessionTable {

  /** One session: the clock reading of its last heartbeat and its timeout. */
  public record Session(long id, long timeoutMillis, long lastSeenMillis) {}

  private final TreeMap<Long, Session> sessions = new TreeMap<>();
  private long clockMillis;
  private long sourceTag;
  private long sourceEpoch = -1;
  private long sourceReading;

  /** The replicated session clock (milliseconds of leader time counted so far). */
  public long clockMillis() {
    return clockMillis;
  }

  public int size() {
    return sessions.size();
  }

  public Optional<Session> get(long id) {
    return Optional.ofNullable(sessions.get(id));
  }

  public List<Session> all() {
    return List.copyOf(sessions.values());
  }

  /** Opens session {@code id} (the zxid of the opening txn: unique and deterministic). */
  public Session open(long id, long timeoutMillis) {
    if (sessions.isEmpty()) {
      // The leader does not tick while there are no sessions; the next reading must not count that idle gap.
      sourceEpoch = -1;
    }
    Session s = new Session(id, timeoutMillis, clockMillis);
    sessions.put(id, s);
    return s;
  }

  /** Records a heartbeat; false if the session does not exist (expired or never opened). */
  public boolean touch(long id) {
    Session s = sessions.get(id);
    if (s == null) {
      return false;
    }
    sessions.put(id, new Session(id, s.timeoutMillis(), clockMillis));
    return true;
  }

  /** Removes a session; false if it did not exist. */
  public boolean close(long id) {
    return sessions.remove(id) != null;
  }

  /**
   * Advances the clock by a reading of {@code tag}'s clock in {@code epoch} and removes every session idle
   * for longer than its timeout.
   *
   * @return the ids of the expired sessions, ascending
   */
  public List<Long> tick(long epoch, long tag, long readingMillis, long maxAdvanceMillis) {
    if (tag == sourceTag && epoch == sourceEpoch && readingMillis > sourceReading) {
      clockMillis += Math.min(readingMillis - sourceReading, maxAdvanceMillis);
    }
    sourceTag = tag;
    sourceEpoch = epoch;
    sourceReading = readingMillis;
    List<Long> expired = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (clockMillis - s.lastSeenMillis() > s.timeoutMillis()) {
        expired.add(s.id());
      }
    }
    expired.forEach(sessions::remove);
    return expired;
  }

  public void writeTo(BinaryOut out) throws IOException {
    out.writeLong(clockMillis).writeLong(sourceTag).writeLong(sourceEpoch).writeLong(sourceReading);
    out.writeInt(sessions.size());
    for (Session s : sessions.values()) {
      out.writeLong(s.id()).writeLong(s.timeoutMillis()).writeLong(s.lastSeenMillis());
    }
  }

  public static SessionTable readFrom(BinaryIn in) throws IOException {
    SessionTable t = new SessionTable();
    t.clockMillis = in.readLong("sessions.clockMillis");
    t.sourceTag = in.readLong("sessions.sourceTag");
    t.sourceEpoch = in.readLong("sessions.sourceEpoch");
    t.sourceReading = in.readLong("sessions.sourceReading");
    int n = in.readCount("sessions.count", Integer.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      long id = in.readLong("sessions[" + i + "].id");
      t.sessions.put(id, new Session(id, in.readLong("sessions[" + i + "].timeoutMillis"),
          in.readLong("sessions[" + i + "].lastSeenMillis")));
    }
    return t;
  }
}
