package io.zab;

import java.util.Objects;

/**
 * One server of the ensemble: its id (SID, S2) and the address where peers reach it.
 *
 * <pre>{@code
 * List<Member> members = List.of(
 *     new Member(1, "127.0.0.1", 2881),
 *     new Member(2, "127.0.0.1", 2882),
 *     new Member(3, "127.0.0.1", 2883));
 * }</pre>
 *
 * @param id the server id, positive and unique in the ensemble
 * @param host host name or IP address peers connect to
 * @param port TCP port peers connect to (0 for transports that need none, such as the in-JVM one)
 */
public record Member(long id, String host, int port) {
  /**
   * Checks the id, host and port.
   *
   * @param id the server id, positive
   * @param host host name or IP address
   * @param port TCP port, 0-65535
   */
  public Member {
    if (id <= 0) {
      throw new IllegalArgumentException("server id must be positive, got " + id);
    }
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range for server " + id + ": " + port);
    }
  }

  /**
   * A member without a network address, for in-JVM transports and simulators.
   *
   * @param id the server id, positive
   * @return the member {@code id@local:0}
   */
  public static Member local(long id) {
    return new Member(id, "local", 0);
  }

  @Override
  public String toString() {
    return id + "@" + host + ":" + port;
  }
}
