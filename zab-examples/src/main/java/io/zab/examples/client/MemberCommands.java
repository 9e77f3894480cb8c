package io.zab.examples.client;

import io.zab.examples.client.KvClient.Response;
import java.time.Duration;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The CLI's membership commands. A change reads the configuration first (after a sync barrier) and names the
 * version it read: the node applies it only if the configuration is still that one (compare-and-set), so two
 * operators never undo each other's change unknowingly; the loser is told, and nothing was changed.
 *
 * <pre>
 * zab-cli members
 * zab-cli add-member 4 127.0.0.1:2884 [--observer] [--replacing 3] [--catch-up-timeout 2m]
 * zab-cli remove-member 3
 * zab-cli transfer-leader 2
 * </pre>
 */
final class MemberCommands {
  /** How long a change whose outcome is not known waits for a leader to read the configuration from. */
  private static final Duration OUTCOME_WAIT = Duration.ofSeconds(30);

  private MemberCommands() {}

  /** The configuration the node reports after a sync barrier (it has every change committed before the call). */
  static MembersView read(KvClient c) {
    Response r = c.members(true);
    if (!r.ok()) {
      throw new IllegalStateException("cannot read the configuration from " + c.baseUrl() + ": " + failure(r));
    }
    return MembersView.of(r);
  }

  /**
   * Prints a change's result, or throws with one line saying why it did not happen and what to do. When the outcome
   * is not known (the leader changed meanwhile: a removed leader, say), reads the configuration again once a leader
   * serves it and tells from {@code made} whether the change is in it.
   */
  static int report(ZabCli parent, KvClient c, Response r, MembersView read, String done, Predicate<MembersView> made) {
    if (r.ok()) {
      return printDone(parent, done, read, MembersView.of(r), "");
    }
    String type = r.text("type");
    if (r.status() == 504 && !"CatchUpTimeoutException".equals(type)) {
      parent.out.println("the outcome is not known (" + failure(r) + "); reading the configuration again ...");
      parent.out.flush();
      MembersView now = Poll.until(OUTCOME_WAIT, () -> {
        MembersView m = read(c);
        return m.leader() != null ? m : null;
      }).value().orElseThrow(() -> new IllegalStateException("the outcome is not known and no leader served the"
          + " configuration within " + OUTCOME_WAIT.toSeconds() + " s: read it later (zab-cli members)"));
      if (!made.test(now)) {
        throw new IllegalStateException("the change is not in the configuration read afterwards (version "
            + now.versionZxid() + "): it did not happen, or a new leader is still completing it; read the"
            + " configuration again in a moment (zab-cli members) before deciding again");
      }
      return printDone(parent, done, read, now, ", read back after the leader changed");
    }
    if (r.status() == 409 && "StaleConfigurationException".equals(type)) {
      throw new IllegalStateException("lost a race: the configuration changed after it was read (version "
          + read.versionZxid() + " read, " + r.text("currentVersionZxid") + " now): nothing was changed; read it"
          + " again (zab-cli members) and decide again");
    }
    if (r.status() == 409 && "ChangeInProgressException".equals(type)) {
      throw new IllegalStateException("another membership change or leadership transfer is under way (configuration"
          + " version " + r.text("currentVersionZxid") + "): nothing was changed; retry once it is done");
    }
    throw new IllegalStateException(failure(r));
  }

  /** Prints that the change is made, the version it moved from and to, and the configuration now. */
  private static int printDone(ZabCli parent, String done, MembersView read, MembersView now, String how) {
    parent.out.println(done + " (configuration version " + read.versionZxid() + " -> " + now.versionZxid() + how
        + ")");
    parent.out.print(now.table());
    return 0;
  }

  /** A refusal in one line: the node's message, HTTP status and the error's type. */
  static String failure(Response r) {
    String error = r.text("error") != null ? r.text("error") : r.body().toString();
    return error + " (HTTP " + r.status() + (r.text("type") != null ? ", " + r.text("type") : "") + ")";
  }

  @Command(name = "members", description = "Show the cluster configuration: version, leader, members with role and"
      + " address.")
  static final class Members extends ZabCli.Sub {
    @Option(names = "--json", description = "print the node's reply as STATUS JSON") boolean json;
    @Option(names = "--join-options", paramLabel = "ID=HOST:PORT", description = "print the ZabKvServer options a"
        + " new server ID listening at HOST:PORT is started with to join this ensemble (then add it with add-member)")
    String join;

    @Override
    public Integer call() {
      KvClient c = parent.client();
      if (json) {
        return parent.print(c.members(true));
      }
      MembersView m = read(c);
      if (join != null) {
        int eq = join.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--join-options wants ID=HOST:PORT, got '" + join + "'");
        }
        parent.out.println(m.joinOptions(Long.parseLong(join.substring(0, eq)), join.substring(eq + 1)));
        return 0;
      }
      parent.out.print(m.table());
      return 0;
    }
  }

  @Command(name = "add-member", description = "Add server ID at HOST:PORT (its zab peer address) as a voter or an"
      + " observer, or change its role or address. The server must run already (ZabKvServer with itself among"
      + " --observers, see members --join-options); a new voter catches up before it counts.")
  static final class AddMember extends ZabCli.Sub {
    @Parameters(index = "0", paramLabel = "ID") long id;
    @Parameters(index = "1", paramLabel = "HOST:PORT") String address;
    @Option(names = "--observer", description = "a non-voting member: serves reads, never counts in a quorum")
    boolean observer;
    @Option(names = "--replacing", paramLabel = "ID", description = "remove this member in the same change (replace"
        + " a failed server)")
    long replacing;
    @Option(names = "--catch-up-timeout", defaultValue = "60s", description = "how long a new voter may take to"
        + " catch up (default ${DEFAULT-VALUE})")
    String catchUp;

    @Override
    public Integer call() {
      KvClient c = parent.client();
      MembersView read = read(c);
      Response r = c.putMember(id, address, observer, read.version(), replacing, ZabCli.duration(catchUp));
      String role = observer ? "OBSERVER" : "VOTER";
      return report(parent, c, r, read, "server " + id + " at " + address + " is " + (observer ? "an observer"
          : "a voter") + (replacing != 0 ? ", server " + replacing + " removed" : ""),
          now -> now.member(id).filter(e -> e.role().equals(role) && e.address().equals(address.trim())).isPresent()
              && (replacing == 0 || now.member(replacing).isEmpty()));
    }
  }

  @Command(name = "remove-member", description = "Remove server ID (voter or observer) from the configuration; a"
      + " removed leader hands leadership over first.")
  static final class RemoveMember extends ZabCli.Sub {
    @Parameters(index = "0", paramLabel = "ID") long id;

    @Override
    public Integer call() {
      KvClient c = parent.client();
      MembersView read = read(c);
      return report(parent, c, c.removeMember(id, read.version()), read, "server " + id + " removed",
          now -> now.member(id).isEmpty());
    }
  }

  @Command(name = "transfer-leader", description = "Move leadership to voter ID (before maintenance of the leader's"
      + " machine, say); the leader brings it up to date first.")
  static final class TransferLeader extends ZabCli.Sub {
    @Parameters(index = "0", paramLabel = "ID") long id;
    @Option(names = "--timeout", defaultValue = "10s", description = "how long the target may take to catch up"
        + " (default ${DEFAULT-VALUE})")
    String timeout;

    @Override
    public Integer call() {
      KvClient c = parent.client();
      MembersView read = read(c);
      Response r = c.transferLeader(id, ZabCli.duration(timeout));
      if (!r.ok()) {
        throw new IllegalStateException("leadership was not moved to server " + id + ": " + failure(r));
      }
      MembersView now = MembersView.of(r);
      parent.out.println("server " + id + " leads (was " + (read.leader() == null ? "unknown" : "server "
          + read.leader()) + ")");
      parent.out.print(now.table());
      return 0;
    }
  }
}
