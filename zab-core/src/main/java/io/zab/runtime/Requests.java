package io.zab.runtime;

import io.zab.CatchUpTimeoutException;
import io.zab.ChangeInProgressException;
import io.zab.ClosedException;
import io.zab.LeadershipTransferException;
import io.zab.StaleConfigurationException;
import io.zab.NoQuorumException;
import io.zab.OutcomeUnknownException;
import io.zab.OverloadedException;
import io.zab.TooLargeException;
import io.zab.ZabException;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.wire.Message.RejectCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client requests (submits and read barriers) a node has handed to its protocol core and not yet
 * answered, by request id. Thread-safe: clients register, the protocol thread resolves. Failures complete on
 * the {@link Callbacks} executor, never on the resolving thread.
 */
final class Requests {
  private final Map<Long, CompletableFuture<?>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final int maxOutstanding;
  private final Callbacks callbacks;

  Requests(int maxOutstanding, Callbacks callbacks) {
    this.maxOutstanding = maxOutstanding;
    this.callbacks = callbacks;
  }

  /** Registers a new request; the returned id is unique on this node. */
  long register(CompletableFuture<?> future) {
    if (pending.size() >= maxOutstanding) {
      throw new OverloadedException(pending.size() + " requests are in flight on this server (maxOutstanding="
          + maxOutstanding + ")");
    }
    long id = nextId.getAndIncrement();
    pending.put(id, future);
    return id;
  }

  /** Removes and returns the request's future, or null if it was already resolved. */
  CompletableFuture<?> remove(long id) {
    return pending.remove(id);
  }

  /** Fails request {@code id} with the exception the core's reject code (and its detail) stands for. */
  void reject(long id, RejectCode code, long leader, Zxid detail, int maxTxnBytes) {
    CompletableFuture<?> f = pending.remove(id);
    if (f != null) {
      callbacks.fail(f, toException(code, leader, detail, maxTxnBytes));
    }
  }

  /** Fails every pending request (close or fatal error). */
  void failAll(ZabException e) {
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<?> f = pending.remove(id);
      if (f != null) {
        callbacks.fail(f, e);
      }
    }
  }

  int size() {
    return pending.size();
  }

  static ZabException toException(RejectCode code, long leader, int maxTxnBytes) {
    return toException(code, leader, Zxid.ZERO, maxTxnBytes);
  }

  /** @param detail see {@code Action.Reject}: a version for STALE_CONFIGURATION, whether a transfer moved */
  static ZabException toException(RejectCode code, long leader, Zxid detail, int maxTxnBytes) {
    return switch (code) {
      // NOT_LEADER is a reserved wire code no server sends: every server takes writes, so "cannot order it now"
      // is NO_QUORUM, whoever says it.
      case NOT_LEADER, NO_QUORUM -> leader > 0
          ? new NoQuorumException("no leader can order the request now (server " + leader
              + " is the leader this server knows, but an election or a sync is still in progress)")
          : new NoQuorumException();
      case OVERLOADED -> new OverloadedException("too many requests in flight (the leader's uncommitted proposals,"
          + " or this server's writes forwarded to the leader and not answered yet, maxInFlightBytes)");
      case TOO_LARGE -> new TooLargeException("payload exceeds maxTxnBytes=" + maxTxnBytes);
      case CLOSED -> new ClosedException("the server handling the request is shutting down");
      case OUTCOME_UNKNOWN -> new OutcomeUnknownException(leader);
      case STALE_CONFIGURATION -> new StaleConfigurationException(detail.value());
      case CHANGE_IN_PROGRESS -> new ChangeInProgressException();
      case CATCH_UP_TIMEOUT -> new CatchUpTimeoutException("a server to become a voter did not catch up with the"
          + " leader" + (leader > 0 ? " (server " + leader + ")" : "") + " within the bound");
      case TRANSFER_FAILED -> detail.equals(Action.Reject.MOVED)
          ? new LeadershipTransferException("the leadership transfer did not reach its target: the election made"
              + " server " + leader + " leader", false)
          : new LeadershipTransferException("no leadership transfer: the target is not a voter, not reachable, or"
              + " not up to date within the bound" + (leader > 0 ? "; server " + leader + " still leads" : ""), true);
      case NONE -> throw new IllegalArgumentException("NONE is not a rejection");
    };
  }
}
