package io.zab.examples.kv;

import io.zab.Zxid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Feeds txns to a state machine with consecutive zxids, as the log would, and records what it heard. */
final class ReplicaDriver implements KvListener {
  final KvStateMachine sm = new KvStateMachine(this);
  final List<Outcome> outcomes = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  private Zxid next = Zxid.of(1, 1);

  /** Applies {@code command} at the next zxid; returns the outcome computed for it. */
  Outcome apply(Command command) {
    return applyBytes(RequestCodec.encode(command));
  }

  Outcome applyBytes(byte[] txn) {
    Outcome outcome = sm.applyForResult(next, ByteBuffer.wrap(txn).asReadOnlyBuffer());
    next = next.next();
    outcomes.add(outcome);
    return outcome;
  }

  /** The zxid value the next txn will get (a grant in it carries this as its fencing token). */
  long nextZxid() {
    return next.value();
  }

  void newEpoch(long epoch) {
    next = Zxid.of(epoch, 1);
  }

  long openSession(long timeoutMillis) {
    return ((Outcome.SessionOpened) apply(new Command.OpenSession(timeoutMillis))).sessionId();
  }

  @Override
  public void lockGranted(String lock, long sessionId, long fencingToken) {
    events.add("granted " + lock + " to " + sessionId + " token " + fencingToken);
  }

  @Override
  public void sessionEnded(long sessionId) {
    events.add("ended " + sessionId);
  }
}
