package io.zab.examples.kv;

import java.util.Objects;

/**
 * One txn of the example: a command plus who submitted it, so that the submitting process (and only it) can
 * match the outcome computed when the txn is applied.
 *
 * @param originTag random per process: outcomes of txns from an earlier run never match a new request
 * @param seq request number within the process
 * @param command what to do
 */
public record Request(long originTag, long seq, Command command) {
  public Request {
    Objects.requireNonNull(command, "command");
  }
}
