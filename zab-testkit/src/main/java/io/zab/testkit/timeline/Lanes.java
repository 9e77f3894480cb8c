package io.zab.testkit.timeline;

import io.zab.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the picture draws per server, derived from a {@link Timeline}: state intervals, cuts and pauses. */
final class Lanes {
  /** A server's state from {@code from} to {@code to}: a role, or DOWN. */
  record Span(long from, long to, String state, long epoch, long leader) {}

  /** An interval during which a server could not reach {@code peers}, or was paused (peers empty). */
  record Overlay(long from, long to, Set<Long> peers) {}

  final Map<Long, List<Span>> spans = new LinkedHashMap<>();
  final Map<Long, List<Overlay>> cuts = new LinkedHashMap<>();
  final Map<Long, List<Overlay>> pauses = new LinkedHashMap<>();

  static final String DOWN = "DOWN";

  Lanes(Timeline t) {
    Map<Long, Span> open = new LinkedHashMap<>();
    Map<Long, Overlay> openCut = new LinkedHashMap<>();
    for (long id : t.servers()) {
      spans.put(id, new ArrayList<>());
      cuts.put(id, new ArrayList<>());
      pauses.put(id, new ArrayList<>());
    }
    for (TimelineEvent e : t.events()) {
      long now = e.timeMicros();
      if (e instanceof TimelineEvent.Started s && spans.containsKey(s.server())) {
        Span prev = open.get(s.server());
        change(open, s.server(), now, Role.LOOKING.name(), prev == null ? 0 : prev.epoch(), 0);
      } else if (e instanceof TimelineEvent.RoleChanged r && spans.containsKey(r.server())) {
        change(open, r.server(), now, r.role().name(), r.epoch(), r.leader());
      } else if (e instanceof TimelineEvent.Stopped s && spans.containsKey(s.server())) {
        Span prev = open.get(s.server());
        change(open, s.server(), now, DOWN, prev == null ? 0 : prev.epoch(), 0);
      } else if (e instanceof TimelineEvent.Paused p && pauses.containsKey(p.server())) {
        pauses.get(p.server()).add(new Overlay(now, now + p.durationMicros(), Set.of()));
      } else if (e instanceof TimelineEvent.NetworkChanged n) {
        for (long id : t.servers()) {
          Set<Long> peers = new TreeSet<>();
          n.cut().stream().filter(l -> l.touches(id)).forEach(l -> peers.add(l.other(id)));
          Overlay cur = openCut.get(id);
          if (cur != null && !cur.peers().equals(peers)) {
            cuts.get(id).add(new Overlay(cur.from(), now, cur.peers()));
            openCut.remove(id);
            cur = null;
          }
          if (cur == null && !peers.isEmpty()) {
            openCut.put(id, new Overlay(now, -1, peers));
          }
        }
      }
    }
    for (Map.Entry<Long, Span> o : open.entrySet()) {
      Span s = o.getValue();
      spans.get(o.getKey()).add(new Span(s.from(), t.endMicros(), s.state(), s.epoch(), s.leader()));
    }
    for (Map.Entry<Long, Overlay> o : openCut.entrySet()) {
      cuts.get(o.getKey()).add(new Overlay(o.getValue().from(), t.endMicros(), o.getValue().peers()));
    }
  }

  private void change(Map<Long, Span> open, long server, long now, String state, long epoch, long leader) {
    Span prev = open.get(server);
    if (prev != null) {
      if (prev.state().equals(state) && prev.epoch() == epoch && prev.leader() == leader) {
        return;
      }
      spans.get(server).add(new Span(prev.from(), now, prev.state(), prev.epoch(), prev.leader()));
    }
    open.put(server, new Span(now, -1, state, epoch, leader));
  }
}
