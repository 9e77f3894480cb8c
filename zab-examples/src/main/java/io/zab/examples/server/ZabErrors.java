package io.zab.examples.server;

/** Maps zab's typed errors to HTTP statuses (filled in once the runtime's error types are on main). */
final class ZabErrors {
  private ZabErrors() {}

  static boolean retryable(Throwable e) {
    return false;
  }

  /** The reply for a zab error, or null if {@code e} is not one. */
  static Reply reply(Throwable e) {
    return null;
  }
}
