package io.zab.examples.server;

/** Maps zab's typed errors to HTTP statuses. */
final class ZabErrors {
  private ZabErrors() {}

  /** The reply for a zab error, or null if {@code e} is not one. */
  static Reply reply(Throwable e) {
    return null;
  }
}
