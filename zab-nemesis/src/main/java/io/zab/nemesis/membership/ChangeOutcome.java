package io.zab.nemesis.membership;

import io.zab.examples.client.KvClient;
import io.zab.nemesis.workload.Classifier;
import io.zab.nemesis.workload.Outcome;

/**
 * How a membership call ({@code PUT}/{@code DELETE /members}, {@code POST /leader}) ended, as far as the caller can
 * know, classified like a workload operation, plus the one refusal that asks for a fresh read: a lost race or a
 * change already under way (409, nothing changed). Pure.
 */
public enum ChangeOutcome {
  /** Done: the reply carries the new configuration (or the new leader). */
  OK,
  /** 409: the version read is stale, or another change or transfer is under way; nothing changed: read again. */
  STALE,
  /** Certainly not applied: zab refused it before proposing ({@code notApplied}), or it was malformed, or the
   * server named is not a member, or the request never reached a node. */
  FAIL,
  /** May or may not have been applied (timeout, 504, connection lost after sending): read the members back. */
  UNKNOWN;

  public static ChangeOutcome reply(KvClient.Response r) {
    int s = r.status();
    if (s == 200) {
      return OK;
    }
    if (s == 409) {
      return STALE;
    }
    if (s == 400 || s == 404 || r.flag("notApplied")) {
      return FAIL;
    }
    return UNKNOWN;
  }

  /** A call that threw: certainly not applied only if the connection was never made. */
  public static ChangeOutcome failure(Throwable e) {
    return Classifier.failure(e).outcome() == Outcome.FAIL ? FAIL : UNKNOWN;
  }
}
