package io.zab.testkit.timeline;

import io.zab.testkit.sim.PeerProtocol;
import io.zab.testkit.sim.RandomRun;
import io.zab.testkit.sim.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the timeline of one seed of the randomized simulation (the run {@code RandomizedSimulationTest}
 * makes for that seed, replayed exactly). From a checkout:
 *
 * <pre>
 * ./mvnw -q -pl zab-testkit -am package -DskipTests -Dzab.timeline.seed=7
 * ./mvnw -q -pl zab-testkit -am package -DskipTests -Dzab.timeline.seed=7 -Dzab.timeline.out=$PWD/seed-7.svg
 * </pre>
 *
 * <p>Arguments: {@code --seed S} (required) and {@code --out FILE} (an {@code .svg} file gets the picture only,
 * anything else an HTML page with the picture, the run's outcome and every event; default
 * {@code zab-timelines/seed-S.html}). Prints the file written; exits 1 on bad arguments.
 */
public final class TimelineCommand {
  private TimelineCommand() {}

  /**
   * Runs the command (see the class comment).
   *
   * @param args {@code --seed S} and optionally {@code --out FILE}
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    long seed = 0;
    boolean seedGiven = false;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--seed" -> {
          seed = parseSeed(value);
          seedGiven = true;
          i++;
        }
        case "--out" -> {
          if (value == null || value.isBlank()) {
            usage("--out needs a file name");
          }
          out = Path.of(value);
          i++;
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
    }
    if (!seedGiven) {
      usage("--seed is required");
    }
    Path file = render(seed, out != null ? out : Path.of("zab-timelines", "seed-" + seed + ".html"));
    System.out.println("timeline of simulation seed " + seed + ": " + file.toAbsolutePath().toUri());
  }

  /**
   * Replays {@code seed} of the randomized simulation and writes its timeline to {@code out}.
   *
   * @param seed the seed to replay
   * @param out an {@code .svg} file for the picture only, any other name for the HTML page
   * @return {@code out}
   * @throws IOException if the file or a parent directory cannot be written
   */
  public static Path render(long seed, Path out) throws IOException {
    SimTimeline[] recorder = new SimTimeline[1];
    RunResult r = RandomRun.run(seed, PeerProtocol::factory, RandomRun.Options.defaults(),
        sim -> recorder[0] = SimTimeline.attach(sim));
    Timeline t = recorder[0].timeline("randomized simulation, seed " + seed + ", " + r.servers() + " servers"
        + (r.failed() ? " (FAILED)" : ""));
    if (out.getFileName().toString().endsWith(".svg")) {
      return t.writeSvg(out);
    }
    List<String> header = new ArrayList<>();
    header.add(String.format("seed %d: %d servers, %d steps, %d faults, %.1f s simulated, %d client operations",
        seed, r.servers(), r.events(), r.faults(), r.simMicros() / 1e6, r.clientOps()));
    header.add(r.failed() ? "FAILED:\n" + r.report() : "no invariant broken; client history "
        + (r.linearizability() == null ? "not checked" : r.linearizability().verdict()));
    header.add("replay: " + RunResult.replayCommand(seed));
    return t.writeHtml(out, header);
  }

  private static long parseSeed(String value) {
    try {
      return Long.parseLong(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      usage("--seed needs an integer, got '" + value + "'");
      return 0;
    }
  }

  private static void usage(String problem) {
    System.err.println("TimelineCommand: " + problem + "\nusage: TimelineCommand --seed S [--out FILE.svg|FILE.html]");
    System.exit(1);
  }
}
