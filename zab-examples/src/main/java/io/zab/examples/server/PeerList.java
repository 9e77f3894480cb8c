package io.zab.examples.server;

import io.zab.Member;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses the {@code --peers} option: {@code 1=127.0.0.1:2881,2=127.0.0.1:2882,3=127.0.0.1:2883}. */
public final class PeerList {
  private PeerList() {}

  /** @throws IllegalArgumentException naming the entry (and its position) that is wrong */
  public static List<Member> parse(String text) {
    List<Member> members = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    String[] entries = text.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      String where = "--peers entry " + (i + 1) + " '" + entry + "'";
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
}
