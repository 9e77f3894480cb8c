package io.zab.examples.client;

import io.zab.examples.Version;
import io.zab.examples.client.KvClient.Response;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command-line client of the example service. Prints each node reply as {@code STATUS JSON}; exits 0 on
 * success, 1 when the node refused or could not be reached (one line on stderr saying why), 2 on usage
 * errors. The default node is {@code http://127.0.0.1:(ZAB_HTTP_BASE + 1)}, as {@code ./zab-cluster} starts it.
 *
 * <pre>
 * zab-cli put greeting hello --server http://127.0.0.1:8082
 * zab-cli get greeting --consistent
 * zab-cli lock jobs --wait 30s --hold 10s
 * zab-cli status --servers http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
 * zab-cli members
 * zab-cli add-member 4 127.0.0.1:2884 --replacing 3
 * zab-cli transfer-leader 2
 * </pre>
 */
@Command(name = "zab-cli", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
    description = "Client of the zab example key-value store.",
    subcommands = {ZabCli.Put.class, ZabCli.Get.class, ZabCli.ListKeys.class, ZabCli.Delete.class, ZabCli.Cas.class,
        ZabCli.Lock.class, ZabCli.Unlock.class, ZabCli.Status.class, ZabCli.AwaitLeader.class, MemberCommands.Members.class,
        MemberCommands.AddMember.class, MemberCommands.RemoveMember.class, MemberCommands.TransferLeader.class})
public final class ZabCli {
  /** The environment variable {@code ./zab-cluster} takes its HTTP ports from (node N listens on base + N). */
  public static final String HTTP_BASE_ENV = "ZAB_HTTP_BASE";
  static final int DEFAULT_HTTP_BASE = 8080;

  @Option(names = "--server", scope = CommandLine.ScopeType.INHERIT,
      description = "node to talk to (default: ${DEFAULT-VALUE}, node 1 of ./zab-cluster, from " + HTTP_BASE_ENV
          + "); any node works, writes are forwarded")
  String server;

  final PrintWriter out;

  ZabCli(PrintWriter out) {
    this.out = out;
  }

  KvClient client() {
    return new KvClient(server);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, System.getenv(), out, err));
  }

  /** Runs one command; returns the exit code. Failures print one line on {@code err}, never a stack trace. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new ZabCli(out));
    cl.setOut(out);
    cl.setErr(err);
    cl.setDefaultValueProvider(arg -> arg.isOption() && ((CommandLine.Model.OptionSpec) arg).longestName().equals("--server")
        ? defaultServer(env) : null);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("zab-cli: " + oneLine(e, env));
      cmd.getErr().flush();
      return 1;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** {@code http://127.0.0.1:(ZAB_HTTP_BASE + 1)}: node 1 of {@code ./zab-cluster}. */
  static String defaultServer(Map<String, String> env) {
    return "http://127.0.0.1:" + (httpBase(env) + 1);
  }

  static int httpBase(Map<String, String> env) {
    String v = env.get(HTTP_BASE_ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT_HTTP_BASE;
    }
    try {
      int base = Integer.parseInt(v.trim());
      if (base < 1 || base > 65_000) {
        throw new NumberFormatException();
      }
      return base;
    } catch (NumberFormatException e) {
      throw new CommandLine.PicocliException(HTTP_BASE_ENV + " must be a port number below 65000, got '" + v + "'");
    }
  }

  /** What went wrong, in one line, with a hint where one helps. */
  static String oneLine(Throwable e, Map<String, String> env) {
    String text = e.getMessage() != null ? e.getMessage() : e.toString();
    if (e instanceof KvClient.Unreachable) {
      String base = env.getOrDefault(HTTP_BASE_ENV, Integer.toString(DEFAULT_HTTP_BASE));
      text += " (is the cluster running? ./zab-cluster start; the default --server follows " + HTTP_BASE_ENV + ", now "
          + base + ")";
    }
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  int print(Response r) {
    out.println(r);
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
      return parent.print(parent.client().put(key, value));
    }
  }

  @Command(name = "get", description = "Read a key from this node: local (may be stale) or --consistent (after sync).")
  static final class Get extends Sub {
    @Parameters(index = "0") String key;
    @Option(names = "--consistent", description = "sync with the leader first") boolean consistent;

    @Override
    public Integer call() {
      return parent.print(parent.client().get(key, consistent));
    }
  }

  @Command(name = "list", description = "Every key starting with PREFIX (all keys without one) and its value.")
  static final class ListKeys extends Sub {
    @Parameters(index = "0", defaultValue = "", arity = "0..1", paramLabel = "PREFIX") String prefix;
    @Option(names = "--consistent", description = "sync with the leader first") boolean consistent;

    @Override
    public Integer call() {
      return parent.print(parent.client().list(prefix, consistent));
    }
  }

  @Command(name = "delete", description = "Delete a key.")
  static final class Delete extends Sub {
    @Parameters(index = "0") String key;

    @Override
    public Integer call() {
      return parent.print(parent.client().delete(key));
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
      return parent.print(parent.client().cas(key, expect.absent ? null : expect.expected, value));
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
        parent.out.println("session " + session + " opened (timeout " + timeout.toMillis() + " ms)");
        try {
          Response r = c.acquire(name, session, duration(waitText).toMillis());
          parent.print(r);
          if (!r.flag("granted")) {
            return 1;
          }
          parent.out.println("holding '" + name + "' with fencing token " + r.number("fencingToken") + " ("
              + r.text("fencingZxid") + ") for " + holdText);
          parent.out.flush();
          Thread.sleep(duration(holdText).toMillis()); // the user asked to hold the lock this long
          return parent.print(c.release(name, session));
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
      return parent.print(parent.client().release(name, session));
    }
  }

  @Command(name = "status", description = "Show the status of one node, or a table of --servers.")
  static final class Status extends Sub {
    @Option(names = "--servers", split = ",", description = "comma-separated node URLs") List<String> servers;

    @Override
    public Integer call() {
      if (servers == null) {
        return parent.print(parent.client().status());
      }
      ClusterView view = ClusterView.read(servers.stream().map(KvClient::new).toList());
      parent.out.print(view.table());
      return view.nodes().stream().allMatch(ClusterView.NodeStatus::up) ? 0 : 1;
    }
  }

  @Command(name = "await-leader", description = "Wait until every listed node is up and serves one leader's"
      + " established epoch.")
  static final class AwaitLeader extends Sub {
    @Option(names = "--servers", split = ",", required = true) List<String> servers;
    @Option(names = "--timeout", defaultValue = "60s") String timeoutText;

    @Override
    public Integer call() {
      List<KvClient> clients = servers.stream().map(KvClient::new).toList();
      Poll.Result<Long> leader = Poll.until(duration(timeoutText),
          () -> ClusterView.read(clients).settledLeader(clients.size()).orElse(null));
      parent.out.print(ClusterView.read(clients).table());
      if (leader.value().isEmpty()) {
        parent.out.flush();
        throw new IllegalStateException("no leader whose epoch every node has established within " + timeoutText);
      }
      parent.out.println("leader: server " + leader.value().get());
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
