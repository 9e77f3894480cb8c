package io.zab.examples.server;

import io.zab.ClosedException;
import io.zab.NoQuorumException;
import io.zab.OutcomeUnknownException;
import io.zab.OverloadedException;
import io.zab.ResultUnavailableException;
import io.zab.TooLargeException;
import io.zab.ZabException;

/** Maps zab's typed errors to HTTP statuses; the body keeps zab's message (it says what to do). */
final class ZabErrors {
  private ZabErrors() {}

  /**
   * Whether zab says the request certainly did not take effect for a reason that passes (an election, a
   * lost quorum, a full queue), so submitting it again is safe and may succeed.
   */
  static boolean retryable(Throwable e) {
    return e instanceof NoQuorumException || e instanceof OverloadedException;
  }

  /** The reply for a zab error, or null if {@code e} is not one. */
  static Reply reply(Throwable e) {
    if (!(e instanceof ZabException z)) {
      return null;
    }
    int status;
    if (z instanceof OverloadedException) {
      status = 429;
    } else if (z instanceof TooLargeException) {
      status = 413;
    } else if (z instanceof OutcomeUnknownException || z instanceof ResultUnavailableException) {
      status = 504; // may have taken effect (or did, without a known outcome): read it back before retrying
    } else if (z instanceof NoQuorumException || z instanceof ClosedException) {
      status = 503;
    } else {
      status = 500;
    }
    return Reply.of(status, "error", z.getMessage(), "type", z.getClass().getSimpleName(), "notApplied",
        z.notApplied());
  }
}
