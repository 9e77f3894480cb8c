package io.zab.runtime;

import java.util.OptionalLong;

/** The one representation of "no leader" the API uses: the core's leader id 0 becomes an empty OptionalLong. */
final class Leaders {
  private Leaders() {}

  /** {@code leader} if it names a server (ids are positive), else empty. */
  static OptionalLong of(long leader) {
    return leader > 0 ? OptionalLong.of(leader) : OptionalLong.empty();
  }
}
