package io.zab.examples.client;

import io.zab.examples.client.KvClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command-line client of the example service. Prints each node reply as {@code STATUS JSON}; exits 0 on
 * success, 1 when the node refused, 2 on usage errors.
 *
 * <pre>
 * zab-cli put greeting hello --server http://127.0.0.1:8082
 * zab-cli get greeting --consistent
 * zab-cli lock jobs --wait 30s --hold 10s
 * zab-cli status --servers http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
 * </pre>
 */
@Command(name = "zab-cli", mixinStandardHelpOptions = true, description = "Client of the zab example key-value store.",
    subcommands = {ZabCli.Put.class, ZabCli.Get.class, ZabCli.Delete.class, ZabCli.Cas.class, ZabCli.Lock.class,
        ZabCli.Unlock.class, ZabCli.Status.class, ZabCli.AwaitLeader.class})
public final class ZabCli {

  @Option(names = "--server", defaultValue = "http://127.0.0.1:8081", scope = CommandLine.ScopeType.INHERIT,
      description = "node to talk to (default: ${DEFAULT-VALUE}); any node works, writes are forwarded")
  String server;

  KvClient client() {
    return new KvClient(server);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ZabCli()).execute(args));
  }

  static int print(Response r) {
    System.out.println(r);
    return r.status() / 100 == 2 ? 0 : 1;
  }

  abstract static class Sub implements Callable<Integer> {
    @CommandLine.ParentCommand
    ZabCli parent;
  }

  @Command(name = "put", description = "Set a key.")
  static final class Put extends Sub {
    @Parameters(index = "0") String key;
    @Parameters(index = "1") String value;

    @Override
    public Integer call() {
      return print(parent.client().put(key, value));
    }
  }

  @Command(name = "get", description = "Read a key from this node: local (may be stale) or --consistent (after sync).")
  static final class Get extends Sub {
    @Parameters(index = "0") String key;
    @Option(names = "--consistent", description = "sync with the leader first") boolean consistent;

    @Override
    public Integer call() {
      return print(parent.client().get(key, consistent));
    }
  }

  @Command(name = "delete", description = "Delete a key.")
  static final class Delete extends Sub {
    @Parameters(index = "0") String key;

    @Override
    public Integer call() {
      return print(parent.client().delete(key));
    }
  }

  @Command(name = "cas", description = "Set KEY to VALUE if it equals --expected (or is absent with --absent).")
  static final class Cas extends Sub {
    @Parameters(index = "0") String key;
    @Parameters(index = "1") String value;
    @CommandLine.ArgGroup(multiplicity = "1") Expect expect;

    static final class Expect {
      @Option(names = "--expected", required = true) String expected;
      @Option(names = "--absent", required = true) boolean absent;
    }

    @Override
    public Integer call() {
      return print(parent.client().cas(key, expect.absent ? null : expect.expected, value));
    }
  }

  @Command(name = "lock", description = "Open a session, take a lock (waiting in FIFO order), hold it, release it.")
  static final class Lock extends Sub {
    @Parameters(index = "0") String name;
    @Option(names = "--wait", defaultValue = "30s", description = "how long to wait for the lock (e.g. 30s, 0s)")
    String waitText;
    @Option(names = "--hold", defaultValue = "10s", description = "how long to hold it before releasing")
    String holdText;
    @Option(names = "--session-timeout", defaultValue = "5s") String sessionTimeoutText;

    @Override
    public Integer call() throws Exception {
      KvClient c = parent.client();
      Duration timeout = duration(sessionTimeoutText);
      try (SessionKeeper keeper = new SessionKeeper(c, timeout.toMillis(), "heartbeat")) {
        long session = keeper.session();
        System.out.println("session " + session + " opened (timeout " + timeout.toMillis() + " ms)");
        try {
          Response r = c.acquire(name, session, duration(waitText).toMillis());
          print(r);
          if (!r.flag("granted")) {
            return 1;
          }
          System.out.println("holding '" + name + "' with fencing token " + r.number("fencingToken") + " ("
              + r.text("fencingZxid") + ") for " + holdText);
          Thread.sleep(duration(holdText).toMillis()); // the user asked to hold the lock this long
          return print(c.release(name, session));
        } finally {
          c.closeSession(session);
        }
      }
    }
  }

  @Command(name = "unlock", description = "Release a lock held by a session.")
  static final class Unlock extends Sub {
    @Parameters(index = "0") String name;
    @Option(names = "--session", required = true) long session;

    @Override
    public Integer call() {
      return print(parent.client().release(name, session));
    }
  }

  @Command(name = "status", description = "Show the status of one node, or a table of --servers.")
  static final class Status extends Sub {
    @Option(names = "--servers", split = ",", description = "comma-separated node URLs") List<String> servers;

    @Override
    public Integer call() {
      if (servers == null) {
        return print(parent.client().status());
      }
      ClusterView view = ClusterView.read(servers.stream().map(KvClient::new).toList());
      System.out.print(view.table());
      return view.nodes().stream().allMatch(ClusterView.NodeStatus::up) ? 0 : 1;
    }
  }

  @Command(name = "await-leader", description = "Wait until every listed node is up and follows one leader.")
  static final class AwaitLeader extends Sub {
    @Option(names = "--servers", split = ",", required = true) List<String> servers;
    @Option(names = "--timeout", defaultValue = "60s") String timeoutText;

    @Override
    public Integer call() {
      List<KvClient> clients = servers.stream().map(KvClient::new).toList();
      Poll.Result<Long> leader = Poll.until(duration(timeoutText),
          () -> ClusterView.read(clients).settledLeader(clients.size()).orElse(null));
      System.out.print(ClusterView.read(clients).table());
      if (leader.value().isEmpty()) {
        System.err.println("no settled leader within " + timeoutText);
        return 1;
      }
      System.out.println("leader: server " + leader.value().get());
      return 0;
    }
  }

  /** Parses 30s, 500ms, 2m or a plain number of milliseconds. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofMillis(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("not a duration: '" + text + "' (use e.g. 30s, 500ms, 2m)");
    }
  }
}
