package io.zab.testkit;

import io.zab.StateMachine;
import io.zab.Zxid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** The test's own state machine, with every apply shown to the cluster's {@link ReplicaChecks} after it. */
final class ObservedStateMachine implements StateMachine {
  private final long server;
  private final StateMachine delegate;
  private final ReplicaChecks checks;

  ObservedStateMachine(long server, StateMachine delegate, ReplicaChecks checks) {
    this.server = server;
    this.delegate = delegate;
    this.checks = checks;
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
}
