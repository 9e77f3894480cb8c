package io.zab.examples.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster configuration as a node's {@code GET /members} reports it: version, leader, members with role and
 * address.
 *
 * <pre>{@code
 * MembersView m = MembersView.of(new KvClient("http://127.0.0.1:8081").members(true));
 * System.out.print(m.table());
 * }</pre>
 *
 * @param version the configuration's version (the zxid value of the txn that made it; 0 for the initial one)
 * @param versionZxid the version as a zxid ({@code 0x1:0x5})
 * @param leader the leader's id as this node knows it, or null
 * @param members every member, sorted by id
 */
public record MembersView(long version, String versionZxid, Long leader, List<Entry> members) {

  /** One member: id, VOTER or OBSERVER, HOST:PORT. */
  public record Entry(long id, String role, String address) {
    public boolean voter() {
      return role.equals("VOTER");
    }
  }

  /** Reads a {@code GET /members} reply (or a successful change's, which has the same shape). */
  @SuppressWarnings("unchecked")
  public static MembersView of(KvClient.Response r) {
    if (!r.ok()) {
      throw new IllegalStateException("the node did not report its members: " + r);
    }
    List<Entry> entries = new ArrayList<>();
    for (Object o : (List<Object>) r.body().get("members")) {
      Map<String, Object> m = (Map<String, Object>) o;
      entries.add(new Entry((Long) m.get("id"), (String) m.get("role"), (String) m.get("address")));
    }
    return new MembersView(r.number("version"), r.text("versionZxid"), (Long) r.body().get("leader"),
        List.copyOf(entries));
  }

  public Optional<Entry> member(long id) {
    return members.stream().filter(e -> e.id() == id).findFirst();
  }

  /** The members of one role as {@code --peers} / {@code --observers} want them: {@code 1=127.0.0.1:2881,...}. */
  public String list(boolean voters) {
    return String.join(",", members.stream().filter(e -> e.voter() == voters).map(e -> e.id() + "=" + e.address())
        .toList());
  }

  /**
   * The options a server with id {@code id} listening at {@code address} is started with to join this ensemble:
   * the voters as {@code --peers}, the observers and itself (unless it is a member) as {@code --observers}.
   */
  public String joinOptions(long id, String address) {
    String observers = list(false);
    if (member(id).isEmpty()) {
      observers += (observers.isEmpty() ? "" : ",") + id + "=" + address;
    }
    return "--peers " + list(true) + (observers.isEmpty() ? "" : " --observers " + observers);
  }

  /** A table: version and leader, then id, role, address, one line per member. */
  public String table() {
    StringBuilder sb = new StringBuilder(String.format("configuration version %s (%d), leader %s%n", versionZxid,
        version, leader == null ? "unknown (election under way?)" : "server " + leader));
    sb.append(String.format("  %-4s %-9s %s%n", "id", "role", "address"));
    for (Entry e : members) {
      sb.append(String.format("  %-4s %-9s %s%s%n", e.id(), e.role(), e.address(),
          leader != null && leader == e.id() ? "   (leader)" : ""));
    }
    return sb.toString();
  }
}
