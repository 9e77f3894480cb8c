package io.zab;

import java.nio.ByteBuffer;

/**
 * A {@link StateMachine} whose apply returns a result, which travels back to the future of the
 * {@link ZabNode#submitForResult submitForResult} call that wrote the transaction: the application never
 * matches zxids or tags its transactions itself.
 *
 * <pre>{@code
 * sealed interface Reply { record Ok(long balance) implements Reply {} record Refused(String why) implements Reply {} }
 *
 * final class Accounts implements ResultStateMachine<Reply> {
 *   private long balance;   // only touched on the apply thread
 *
 *   public Reply applyForResult(Zxid zxid, ByteBuffer txn) {
 *     long delta = txn.getLong();
 *     if (balance + delta < 0) {
 *       return new Reply.Refused("balance " + balance + " too low");  // an application error: a result, not a throw
 *     }
 *     balance += delta;
 *     return new Reply.Ok(balance);
 *   }
 *   // snapshot(OutputStream) and restore(InputStream) as for any StateMachine
 * }
 *
 * Applied<Reply> a = node.<Reply>submitForResult(bytes).get(5, SECONDS);   // a.zxid(), a.result()
 * }</pre>
 *
 * <p>Every server applies every transaction and so computes every result, deterministically; only the server
 * the write was submitted to has a future waiting for it, and it hands over the result of <em>its own</em>
 * apply. Results nobody waits for (writes submitted on other servers, transactions applied after a restart)
 * are dropped as {@code applyForResult} returns: the node keeps none. Return shared constants for common
 * results where you can, since every replica computes them.
 *
 * <p>Errors: a result that describes an application-level failure (a refused withdrawal, a failed
 * compare-and-set) is a result like any other: return it. Throwing stops the node, exactly as for
 * {@link StateMachine#apply}, because a replica that skipped a transaction would diverge from the others; the
 * submitter's future then fails with a {@link ClosedException} whose cause is what was thrown.
 *
 * <p>Threading and the other methods: as for {@link StateMachine}. The plain {@link ZabNode#submit} works
 * with this state machine too (it completes with the zxid and ignores the result).
 *
 * @param <R> the type of the results; may be {@code null} for a transaction without one
 */
public interface ResultStateMachine<R> extends StateMachine {

  /**
   * Applies one committed transaction, as {@link StateMachine#apply} does, and returns its result for the
   * submitter (null is allowed). Must be deterministic, result included.
   *
   * @param zxid the transaction's id
   * @param txn the payload as submitted, read-only; valid only during this call
   */
  R applyForResult(Zxid zxid, ByteBuffer txn);

  /** Applies {@code txn} and drops its result; the node calls {@link #applyForResult} itself. */
  @Override
  default void apply(Zxid zxid, ByteBuffer txn) {
    applyForResult(zxid, txn);
  }
}
