package io.zab;

import io.zab.transport.TransportFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A replicated balance whose writes return results; each server runs one. (docs/embedding.md, Results) */
final class AccountService implements ResultStateMachine<AccountService.Outcome>, AutoCloseable {
  /** What a change did: computed the same on every server, returned to the one it was submitted to. */
  sealed interface Outcome {
    record Done(long balance) implements Outcome {}

    record Refused(long balance, long amount) implements Outcome {} // an application error, as a result
  }

  private volatile long balance; // written by the apply thread, read by any thread
  private final ZabNode node;

  AccountService(long myId, List<Member> members, Path dataDir, TransportFactory transport) throws IOException {
    node = ZabNode.builder().serverId(myId).members(members).dataDir(dataDir)
        .transport(transport).stateMachine(this).build();
    node.start();
  }

  /** Adds {@code amount} (negative: a withdrawal); completes with what this server's apply of it returned. */
  CompletableFuture<Outcome> change(long amount) {
    byte[] txn = ByteBuffer.allocate(Long.BYTES).putLong(amount).array();
    return node.<Outcome>submitForResult(txn).thenApply(Applied::result);
  }

  /** A read barrier, then the local balance. */
  CompletableFuture<Long> read() {
    return node.sync().thenApply(applied -> balance);
  }

  @Override public Outcome applyForResult(Zxid zxid, ByteBuffer txn) {
    long amount = txn.getLong();
    if (balance + amount < 0) {
      return new Outcome.Refused(balance, amount); // no throw: a throw would stop the node
    }
    balance += amount;
    return new Outcome.Done(balance);
  }

  @Override public void snapshot(OutputStream out) throws IOException { new DataOutputStream(out).writeLong(balance); }
  @Override public void restore(InputStream in) throws IOException { balance = new DataInputStream(in).readLong(); }
  @Override public void close() { node.close(); }
}
