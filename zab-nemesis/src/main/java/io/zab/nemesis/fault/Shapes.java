package io.zab.nemesis.fault;

import io.zab.nemesis.net.Cut;
import java.util.ArrayList;
import java.util.List;

/** Resolves relative targets and partition shapes against the current leader. Pure. */
public final class Shapes {
  private Shapes() {}

  /** The leader, or follower number {@code pick} (modulo their count, by id); with no leader, any server. */
  public static int target(boolean leader, int pick, Integer currentLeader, List<Integer> ids) {
    if (currentLeader == null) {
      return ids.get(Math.floorMod(pick, ids.size()));
    }
    if (leader) {
      return currentLeader;
    }
    List<Integer> followers = ids.stream().filter(id -> !id.equals(currentLeader)).sorted().toList();
    return followers.isEmpty() ? currentLeader : followers.get(Math.floorMod(pick, followers.size()));
  }

  public static Cut cut(Shape shape, int pick, Integer currentLeader, List<Integer> ids) {
    return switch (shape) {
      case ISOLATE_LEADER -> isolate(target(true, pick, currentLeader, ids), ids);
      case ISOLATE_FOLLOWER -> isolate(target(false, pick, currentLeader, ids), ids);
      case BRIDGE -> bridge(ids.get(Math.floorMod(pick, ids.size())), ids);
      case ALL_CUT -> all(ids);
    };
  }

  public static Cut isolate(int node, List<Integer> ids) {
    List<Cut.Link> links = new ArrayList<>();
    for (int other : ids) {
      if (other != node) {
        links.add(new Cut.Link(node, other));
      }
    }
    return Cut.of(links);
  }

  /** Everybody but {@code bridge} is cut from everybody else but {@code bridge}. */
  public static Cut bridge(int bridge, List<Integer> ids) {
    List<Cut.Link> links = new ArrayList<>();
    for (int a : ids) {
      for (int b : ids) {
        if (a < b && a != bridge && b != bridge) {
          links.add(new Cut.Link(a, b));
        }
      }
    }
    return Cut.of(links);
  }

  public static Cut all(List<Integer> ids) {
    List<Cut.Link> links = new ArrayList<>();
    for (int a : ids) {
      for (int b : ids) {
        if (a < b) {
          links.add(new Cut.Link(a, b));
        }
      }
    }
    return Cut.of(links);
  }

  /** Which server a shape singles out, for the progress log (the isolated one, or the bridge). */
  public static String describe(Shape shape, int pick, Integer currentLeader, List<Integer> ids) {
    return switch (shape) {
      case ISOLATE_LEADER -> "isolate leader " + target(true, pick, currentLeader, ids);
      case ISOLATE_FOLLOWER -> "isolate follower " + target(false, pick, currentLeader, ids);
      case BRIDGE -> "bridge through " + ids.get(Math.floorMod(pick, ids.size())) + " (leader " + currentLeader + ")";
      case ALL_CUT -> "cut all links";
    };
  }
}
