package io.zab.examples.server;

import io.zab.Zxid;
import io.zab.examples.kv.Outcome;
import java.util.concurrent.TimeoutException;

/** Turns outcomes and failures into HTTP replies a client can act on. */
final class Replies {
  private Replies() {}

  static Reply of(Outcome outcome) {
    if (outcome instanceof Outcome.Written o) {
      return Reply.ok("key", o.key(), "version", o.version(), "zxid", new Zxid(o.version()).toString(),
          "previous", o.previous());
    }
    if (outcome instanceof Outcome.Deleted o) {
      return Reply.ok("key", o.key(), "deleted", o.previous() != null, "previous", o.previous());
    }
    if (outcome instanceof Outcome.CasResult o) {
      return Reply.of(o.swapped() ? 200 : 409, "key", o.key(), "swapped", o.swapped(), "current", o.current(),
          "version", o.version());
    }
    if (outcome instanceof Outcome.SessionOpened o) {
      return Reply.ok("session", o.sessionId(), "timeoutMs", o.timeoutMillis());
    }
    if (outcome instanceof Outcome.SessionClosed o) {
      return Reply.of(o.existed() ? 200 : 404, "session", o.sessionId(), "closed", o.existed());
    }
    if (outcome instanceof Outcome.LockGranted o) {
      return Reply.ok("lock", o.lock(), "session", o.sessionId(), "granted", true, "fencingToken", o.fencingToken(),
          "fencingZxid", new Zxid(o.fencingToken()).toString());
    }
    if (outcome instanceof Outcome.LockBusy o) {
      return Reply.of(409, "lock", o.lock(), "granted", false, "holder", o.holderSessionId());
    }
    if (outcome instanceof Outcome.NotAcquired o) {
      return Reply.of(409, "lock", o.lock(), "granted", false, "timedOut", true);
    }
    if (outcome instanceof Outcome.LockQueued o) {
      return Reply.of(202, "lock", o.lock(), "granted", false, "position", o.position());
    }
    if (outcome instanceof Outcome.LockReleased o) {
      return Reply.ok("lock", o.lock(), "released", true);
    }
    if (outcome instanceof Outcome.NotLockHolder o) {
      return Reply.of(409, "lock", o.lock(), "released", false, "holder", o.holderSessionId());
    }
    if (outcome instanceof Outcome.UnknownSession o) {
      return Reply.of(404, "error", "session " + o.sessionId() + " does not exist (closed or expired)",
          "session", o.sessionId());
    }
    if (outcome instanceof Outcome.Malformed o) {
      return Reply.error(400, o.reason());
    }
    return Reply.ok("outcome", outcome.toString());
  }

  static Reply of(Throwable error) {
    Throwable e = KvService.unwrap(error);
    if (e instanceof TimeoutException) {
      return Reply.error(504, "timed out; a write may or may not have been applied: read it back before retrying");
    }
    if (e instanceof IllegalArgumentException) {
      return Reply.error(400, e.getMessage());
    }
    Reply zab = ZabErrors.reply(e);
    return zab != null ? zab : Reply.error(500, e.toString());
  }
}
