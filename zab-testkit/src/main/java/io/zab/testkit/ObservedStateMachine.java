package io.zab.testkit;

import io.zab.ResultStateMachine;
import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The test's own state machine, with every apply shown to the cluster's {@link ReplicaChecks} after it. A
 * {@link ResultStateMachine} stays one ({@link #of}), so {@code submitForResult} works on the cluster's nodes.
 */
class ObservedStateMachine implements StateMachine {
  private final long server;
  private final StateMachine delegate;
  private final ReplicaChecks checks;

  private ObservedStateMachine(long server, StateMachine delegate, ReplicaChecks checks) {
    this.server = server;
    this.delegate = delegate;
    this.checks = checks;
  }

  /** {@code delegate} observed; with its results, if it returns any. */
  static ObservedStateMachine of(long server, StateMachine delegate, ReplicaChecks checks) {
    return delegate instanceof ResultStateMachine<?> results
        ? new WithResults(server, results, checks)
        : new ObservedStateMachine(server, delegate, checks);
  }

  StateMachine delegate() {
    return delegate;
  }

  @Override
  public void apply(Zxid zxid, ByteBuffer txn) {
    ByteBuffer seen = txn.duplicate(); // the delegate may move txn's position
    delegate.apply(zxid, txn);
    checks.applied(server, zxid, seen);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    delegate.snapshot(out);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    delegate.restore(in);
    checks.restored(server);
  }

  /** For a delegate that returns results: each goes to the node as the delegate returned it. */
  private static final class WithResults extends ObservedStateMachine implements ResultStateMachine<Object> {
    private final ResultStateMachine<?> results;

    WithResults(long server, ResultStateMachine<?> results, ReplicaChecks checks) {
      super(server, results, checks);
      this.results = results;
    }

    @Override
    public Object applyForResult(Zxid zxid, ByteBuffer txn) {
      ByteBuffer seen = txn.duplicate(); // the delegate may move txn's position
      Object result = results.applyForResult(zxid, txn);
      super.checks.applied(super.server, zxid, seen);
      return result;
    }
  }
}
