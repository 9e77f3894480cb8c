package io.zab.examples.testing;

import io.zab.examples.client.Poll;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Awaits a condition with a deadline; the failure says what was awaited and the last error. */
public final class Await {
  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    value(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  public static <T> T value(String what, Duration timeout, Supplier<T> probe) {
    Poll.Result<T> r = Poll.until(timeout, probe);
    return r.value().orElseThrow(() -> new AssertionError("timed out after " + timeout + " awaiting: " + what
        + (r.lastError() != null ? " (last error: " + r.lastError() + ")" : ""), r.lastError()));
  }
}
