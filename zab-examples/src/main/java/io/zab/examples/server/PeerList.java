package io.zab.examples.server;

import io.zab.Member;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses and writes the {@code --peers} and {@code --observers} options:
 * {@code 1=127.0.0.1:2881,2=127.0.0.1:2882,3=127.0.0.1:2883}, and a member's {@code HOST:PORT}.
 */
public final class PeerList {
  private PeerList() {}

  /** @throws IllegalArgumentException naming the entry (and its position) that is wrong */
  public static List<Member> parse(String text) {
    return parse("--peers", text);
  }

  /**
   * @param option what the text is, for the error message ({@code --observers}, say)
   * @throws IllegalArgumentException naming the entry (and its position) that is wrong
   */
  public static List<Member> parse(String option, String text) {
    List<Member> members = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    String[] entries = text.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      String where = option + " entry " + (i + 1) + " '" + entry + "'";
      int eq = entry.indexOf('=');
      int colon = entry.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
        throw new IllegalArgumentException(where + ": expected ID=HOST:PORT");
      }
      try {
        Member m = new Member(Long.parseLong(entry.substring(0, eq)), entry.substring(eq + 1, colon),
            Integer.parseInt(entry.substring(colon + 1)));
        if (!ids.add(m.id())) {
          throw new IllegalArgumentException("server id " + m.id() + " appears twice");
        }
        members.add(m);
      } catch (IllegalArgumentException e) { // includes NumberFormatException
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(members);
  }

  /**
   * Server {@code id} at {@code hostPort} ({@code 127.0.0.1:2884}).
   *
   * @throws IllegalArgumentException saying what is wrong with the address
   */
  public static Member member(long id, String hostPort) {
    String text = hostPort == null ? "" : hostPort.trim();
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("address '" + hostPort + "' of server " + id + ": expected HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address '" + hostPort + "' of server " + id + ": the port is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("address '" + hostPort + "' of server " + id + ": port " + port
          + " is not in 1-65535");
    }
    return new Member(id, text.substring(0, colon), port);
  }

  /** The option text of {@code members}: {@code 1=127.0.0.1:2881,2=127.0.0.1:2882}. */
  public static String format(List<Member> members) {
    StringBuilder sb = new StringBuilder();
    for (Member m : members) {
      sb.append(sb.length() == 0 ? "" : ",").append(m.id()).append('=').append(address(m));
    }
    return sb.toString();
  }

  /** {@code HOST:PORT} of a member. */
  public static String address(Member m) {
    return m.host() + ":" + m.port();
  }
}
