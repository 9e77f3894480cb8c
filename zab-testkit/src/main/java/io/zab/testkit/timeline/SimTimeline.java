package io.zab.testkit.timeline;

import io.zab.protocol.Action;
import io.zab.testkit.sim.Simulation;
import io.zab.testkit.sim.Trace;
import io.zab.testkit.timeline.TimelineEvent.Link;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the {@link Timeline} of a simulation from its trace: role announcements and deliveries of every
 * core, and the simulator's own steps (starts, crashes, stops, pauses, partitions, stalls, heals). Attach it
 * before the run: {@code SimTimeline.attach(simulation)}.
 *
 * <pre>{@code
 * SimTimeline recorder = SimTimeline.attach(simulation);
 * // ... run the simulation ...
 * recorder.timeline("seed " + seed).writeHtml(Path.of("target/seed.html"));
 * }</pre>
 */
public final class SimTimeline implements Trace.Observer {
  private static final Pattern SERVER_STEP = Pattern.compile("(start|crash|stop) s(\\d+)");
  private static final Pattern PAUSE = Pattern.compile("pause s(\\d+) for (\\d+)ms");
  private static final Pattern PARTITION = Pattern.compile("partition \\[([\\d, ]*)] \\| \\[([\\d, ]*)]");

  private final Simulation sim;
  private final TimelineRecorder recorder;
  private final Set<Link> cut = new LinkedHashSet<>();

  private SimTimeline(Simulation sim) {
    this.sim = sim;
    this.recorder = new TimelineRecorder(sim::now);
  }

  /**
   * Starts recording {@code sim}'s timeline; everything from now on is kept.
   *
   * @param sim the simulation to watch, through its trace
   * @return the recorder
   */
  public static SimTimeline attach(Simulation sim) {
    SimTimeline t = new SimTimeline(sim);
    sim.trace().observe(t);
    return t;
  }

  /**
   * Everything recorded so far, up to the simulation's current time.
   *
   * @param title the timeline's heading
   * @return the timeline, with one lane per server of the simulation
   */
  public Timeline timeline(String title) {
    return recorder.timeline(title, List.copyOf(sim.voters()));
  }

  @Override
  public void step(long time, long server, Object what) {
    if (what instanceof Action.RoleChanged r) {
      recorder.record(new TimelineEvent.RoleChanged(time, server, r.role(), r.leader(), r.epoch()));
    } else if (what instanceof Action.Deliver d && !d.txns().isEmpty()) {
      recorder.record(new TimelineEvent.Committed(time, server, d.txns().get(d.txns().size() - 1).zxid(),
          d.txns().size()));
    } else if (what instanceof String note) {
      recorder.record(fromNote(time, note));
    }
  }

  /** Reads one of the simulator's notes (see {@code Simulation}: "crash s2", "partition [1] | [2, 3]", ...). */
  private TimelineEvent fromNote(long time, String note) {
    Matcher m = SERVER_STEP.matcher(note);
    if (m.matches()) {
      long id = Long.parseLong(m.group(2));
      return switch (m.group(1)) {
        case "start" -> new TimelineEvent.Started(time, id);
        case "crash" -> new TimelineEvent.Stopped(time, id, true);
        default -> new TimelineEvent.Stopped(time, id, false);
      };
    }
    m = PAUSE.matcher(note);
    if (m.matches()) {
      return new TimelineEvent.Paused(time, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
    }
    m = PARTITION.matcher(note);
    if (m.matches()) {
      for (long a : ids(m.group(1))) {
        for (long b : ids(m.group(2))) {
          if (a != b) {
            cut.add(Link.of(a, b));
          }
        }
      }
      return new TimelineEvent.NetworkChanged(time, note, cut);
    }
    if (note.equals("heal network")) {
      cut.clear();
      return new TimelineEvent.NetworkChanged(time, "heal", cut);
    }
    if (note.startsWith("stall ") || note.startsWith("delay spike")) {
      return new TimelineEvent.NetworkChanged(time, note, cut);
    }
    return new TimelineEvent.Note(time, note);
  }

  private static List<Long> ids(String list) {
    return list.isBlank() ? List.of()
        : java.util.Arrays.stream(list.split(",")).map(String::trim).map(Long::parseLong).toList();
  }
}
