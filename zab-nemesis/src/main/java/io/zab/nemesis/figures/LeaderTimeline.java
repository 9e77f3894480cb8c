package io.zab.nemesis.figures;

import io.zab.nemesis.cluster.NodeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Time without a leader, from the status samples: at each step the latest sample of every server (if fresh)
 * is taken, and there is a leader when one server is LEADING and a majority of all servers (it included)
 * name it as leader in its epoch. Pure.
 */
public final class LeaderTimeline {
  private LeaderTimeline() {}

  /** Total and longest stretch without a leader, in microseconds. */
  public record Leaderless(long totalMicros, long longestMicros) {}

  /**
   * @param samples status samples of all servers, any order
   * @param servers how many servers the cluster has
   * @param stepMicros the resolution of the walk
   * @param staleMicros a sample older than this says nothing (the server did not answer since)
   */
  public static Leaderless leaderless(List<NodeStatus> samples, int servers, long fromMicros, long toMicros,
      long stepMicros, long staleMicros) {
    List<NodeStatus> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparingLong(NodeStatus::micros));
    Map<Integer, NodeStatus> latest = new HashMap<>();
    int next = 0;
    long total = 0;
    long run = 0;
    long longest = 0;
    for (long t = fromMicros; t < toMicros; t += stepMicros) {
      while (next < sorted.size() && sorted.get(next).micros() <= t) {
        NodeStatus s = sorted.get(next++);
        latest.put(s.node(), s);
      }
      long step = Math.min(stepMicros, toMicros - t);
      if (hasLeader(latest, servers, t, staleMicros)) {
        run = 0;
      } else {
        total += step;
        run += step;
        longest = Math.max(longest, run);
      }
    }
    return new Leaderless(total, longest);
  }

  static boolean hasLeader(Map<Integer, NodeStatus> latest, int servers, long now, long staleMicros) {
    List<NodeStatus> fresh = latest.values().stream().filter(s -> s.up() && now - s.micros() <= staleMicros).toList();
    for (NodeStatus leader : fresh) {
      if (!leader.leading()) {
        continue;
      }
      long backers = fresh.stream().filter(s -> Objects.equals(s.leader(), (long) leader.node())
          && s.epoch() == leader.epoch() && (s.leading() || s.following())).count();
      if (backers >= servers / 2 + 1) {
        return true;
      }
    }
    return false;
  }
}
