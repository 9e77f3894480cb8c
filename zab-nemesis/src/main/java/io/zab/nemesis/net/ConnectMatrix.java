package io.zab.nemesis.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Checks that the network is cut exactly as intended: from every server's namespace a TCP connect to every
 * other server's peer address, and from the root namespace (where the clients run) a connect to every
 * server's client address. The probed port has no listener, so a path that works answers at once with a
 * refusal; a cut path stays silent until the timeout.
 */
public final class ConnectMatrix implements AutoCloseable {
  /** What one connect found. */
  public enum Reach { OPEN, CUT, ERROR }

  /** One probe: from a server (0: the root namespace, i.e. the clients) to a server's peer or client address. */
  public record Probe(int from, int to, Reach reach, String detail) {
    @Override
    public String toString() {
      return (from == 0 ? "clients" : "server " + from) + " -> server " + to + ": " + reach
          + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  private final CommandRunner runner;
  private final NetPlan plan;
  private final Duration timeout;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "connect-matrix");
    t.setDaemon(true);
    return t;
  });

  public ConnectMatrix(CommandRunner runner, NetPlan plan, Duration timeout) {
    this.runner = runner;
    this.plan = plan;
    this.timeout = timeout;
  }

  /** Probes every path at once; takes about one {@code timeout} when something is cut. */
  public List<Probe> probe() {
    List<CompletableFuture<Probe>> all = new ArrayList<>();
    for (int from : plan.ids()) {
      for (int to : plan.ids()) {
        if (from != to) {
          all.add(CompletableFuture.supplyAsync(() -> peerProbe(from, to), pool));
        }
      }
      all.add(CompletableFuture.supplyAsync(() -> clientProbe(from), pool));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  /** Probes and throws, listing every path that is not as {@code expected}, if any is not. */
  public List<Probe> verify(Cut expected) {
    List<Probe> probes = probe();
    List<String> wrong = mismatches(expected, probes);
    if (!wrong.isEmpty()) {
      throw new PartitionMismatchException("the network is not cut as intended (" + expected + "): "
          + String.join("; ", wrong));
    }
    return probes;
  }

  /** The probes that disagree with {@code expected}: client paths must always be open. */
  public static List<String> mismatches(Cut expected, List<Probe> probes) {
    List<String> wrong = new ArrayList<>();
    for (Probe p : probes) {
      Reach want = p.from() != 0 && expected.isCut(p.from(), p.to()) ? Reach.CUT : Reach.OPEN;
      if (p.reach() != want) {
        wrong.add(p + ", expected " + want);
      }
    }
    return wrong;
  }

  /** How a {@code bash /dev/tcp} connect ended: refused or connected means the path works. */
  static Reach classify(CommandRunner.Result r) {
    if (r.exitCode() == SystemCommandRunner.TIMED_OUT) {
      return Reach.CUT;
    }
    if (r.exitCode() == 0 || r.output().toLowerCase(Locale.ROOT).contains("connection refused")) {
      return Reach.OPEN;
    }
    return Reach.ERROR;
  }

  private Probe peerProbe(int from, int to) {
    String seconds = String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
    CommandRunner.Result r = runner.run(List.of("ip", "netns", "exec", plan.namespace(from), "timeout", seconds,
        "bash", "-c", "exec 3<>/dev/tcp/" + plan.peerIp(to) + "/" + NetPlan.PROBE_PORT), timeout.plusSeconds(10));
    Reach reach = classify(r);
    return new Probe(from, to, reach, reach == Reach.ERROR ? r.describe() : "");
  }

  private Probe clientProbe(int to) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(plan.clientIp(to), NetPlan.PROBE_PORT), (int) timeout.toMillis());
      return new Probe(0, to, Reach.OPEN, "");
    } catch (ConnectException e) {
      boolean refused = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("refused");
      return new Probe(0, to, refused ? Reach.OPEN : Reach.ERROR, refused ? "" : e.toString());
    } catch (SocketTimeoutException e) {
      return new Probe(0, to, Reach.CUT, "");
    } catch (IOException e) {
      return new Probe(0, to, Reach.ERROR, e.toString());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** The partition mechanism did not do what was asked: the run cannot be trusted and stops. */
  public static final class PartitionMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PartitionMismatchException(String message) {
      super(message);
    }
  }
}
