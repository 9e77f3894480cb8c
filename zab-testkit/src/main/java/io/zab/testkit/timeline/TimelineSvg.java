package io.zab.testkit.timeline;

import io.zab.Role;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Draws a {@link Timeline} as SVG: a time axis, one lane per server coloured by role (the epoch written
 * inside), a dashed line at each election, red hatching while a server is cut off, grey hatching while
 * paused, a cross at each crash, a square at each clean stop, ticks for commits, and a legend.
 */
final class TimelineSvg {
  static final int WIDTH = 1000;
  private static final int LEFT = 56;
  private static final int RIGHT = 20;
  private static final int TOP = 84;
  private static final int LANE = 26;
  private static final int GAP = 12;
  private static final int PLOT = WIDTH - LEFT - RIGHT;

  private static final Map<String, String> FILL = Map.of(
      Role.LEADING.name(), "#2e7d32", Role.FOLLOWING.name(), "#90caf9", Role.OBSERVING.name(), "#ce93d8",
      Role.LOOKING.name(), "#ffcc80", Lanes.DOWN, "#e0e0e0");
  private static final Map<String, String> INK = Map.of(
      Role.LEADING.name(), "#ffffff", Role.FOLLOWING.name(), "#0d2a40", Role.OBSERVING.name(), "#3a0d40",
      Role.LOOKING.name(), "#4e3000", Lanes.DOWN, "#616161");

  private final Timeline t;
  private final StringBuilder out = new StringBuilder();
  private final double end;

  private TimelineSvg(Timeline t) {
    this.t = t;
    this.end = Math.max(1, t.endMicros());
  }

  static String render(Timeline t) {
    return new TimelineSvg(t).draw();
  }

  private String draw() {
    int lanes = t.servers().size();
    int height = TOP + lanes * (LANE + GAP) + 56;
    out.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
        + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
    out.append("<defs>\n")
        .append("<pattern id=\"cut\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"6\" fill=\"#d32f2f\" opacity=\"0.55\"/></pattern>\n")
        .append("<pattern id=\"pause\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(-45)\"><rect width=\"2\" height=\"5\" fill=\"#424242\" opacity=\"0.5\"/></pattern>\n")
        .append("</defs>\n");
    out.append(f("<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
    out.append(f("<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>%n", LEFT, esc(t.title())));
    axis(lanes);
    Lanes l = new Lanes(t);
    int row = 0;
    for (long id : t.servers()) {
      int y = TOP + row++ * (LANE + GAP);
      lane(id, y, l);
    }
    elections(lanes);
    marks();
    legend(TOP + lanes * (LANE + GAP) + 14);
    out.append("</svg>\n");
    return out.toString();
  }

  private void axis(int lanes) {
    long step = niceStep(end / 10);
    int bottom = TOP + lanes * (LANE + GAP) - GAP;
    out.append(f("<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"40\" stroke=\"#9e9e9e\"/>%n", LEFT, LEFT + PLOT));
    for (long tick = 0; tick <= end; tick += step) {
      double x = x(tick);
      out.append(f("<line x1=\"%.1f\" y1=\"37\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eeeeee\"/>%n", x, x, bottom));
      out.append(f("<text x=\"%.1f\" y=\"34\" text-anchor=\"middle\" fill=\"#616161\">%s</text>%n", x, time(tick, step)));
    }
  }

  private void lane(long id, int y, Lanes l) {
    out.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-weight=\"bold\">s%d</text>%n", LEFT - 8,
        y + LANE / 2 + 4, id));
    for (Lanes.Span s : l.spans.get(id)) {
      double x1 = x(s.from());
      double w = Math.max(0.5, x(s.to()) - x1);
      out.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
          x1, y, w, LANE, FILL.get(s.state()), esc(spanTitle(id, s))));
      String label = spanLabel(s, w);
      if (!label.isEmpty()) {
        out.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"%s\" pointer-events=\"none\">%s</text>%n", x1 + 4,
            y + LANE / 2 + 4, INK.get(s.state()), esc(label)));
      }
    }
    for (Lanes.Overlay o : l.cuts.get(id)) {
      double x1 = x(o.from());
      double w = Math.max(1, x(o.to()) - x1);
      String peers = o.peers().stream().map(p -> "s" + p).collect(Collectors.joining(","));
      out.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"url(#cut)\" stroke=\"#d32f2f\""
          + " stroke-width=\"0.8\"><title>s%d cut off from %s</title></rect>%n", x1, y, w, LANE, id, esc(peers)));
      if (w > 70) {
        out.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"#b71c1c\" font-size=\"9\" pointer-events=\"none\">cut: %s</text>%n",
            x1 + 3, y + LANE - 3, esc(peers)));
      }
    }
    for (Lanes.Overlay o : l.pauses.get(id)) {
      double x1 = x(o.from());
      double w = Math.max(1, x(Math.min(o.to(), t.endMicros())) - x1);
      out.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"url(#pause)\"><title>s%d paused"
          + " for %d ms</title></rect>%n", x1, y, w, LANE, id, (o.to() - o.from()) / 1000));
    }
    commits(id, y);
    for (TimelineEvent e : t.events()) {
      if (e instanceof TimelineEvent.Stopped s && s.server() == id) {
        double x = x(s.timeMicros());
        int cy = y + LANE / 2;
        if (s.crashed()) {
          out.append(f("<path d=\"M%.1f %d l8 8 m0 -8 l-8 8\" stroke=\"#c62828\" stroke-width=\"2.5\"><title>%s at %s</title></path>%n",
              x - 4, cy - 4, esc(s.describe()), time(s.timeMicros(), 1)));
        } else {
          out.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"7\" height=\"7\" fill=\"#424242\"><title>%s at %s</title></rect>%n",
              x - 3.5, cy - 3, esc(s.describe()), time(s.timeMicros(), 1)));
        }
      } else if (e instanceof TimelineEvent.Started s && s.server() == id) {
        double x = x(s.timeMicros());
        out.append(f("<path d=\"M%.1f %d l6 4 l-6 4 z\" fill=\"#1b5e20\"><title>%s at %s</title></path>%n",
            x, y - 9, esc(s.describe()), time(s.timeMicros(), 1)));
      }
    }
  }

  /** Commit ticks under the lane, one per two-pixel column at most (a column's title says how many). */
  private void commits(long id, int y) {
    TreeMap<Integer, Integer> columns = new TreeMap<>();
    for (TimelineEvent e : t.events()) {
      if (e instanceof TimelineEvent.Committed c && c.server() == id) {
        columns.merge((int) Math.round(x(c.timeMicros()) / 2) * 2, c.txns(), Integer::sum);
      }
    }
    for (Map.Entry<Integer, Integer> c : columns.entrySet()) {
      out.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#263238\" stroke-width=\"1\"><title>%d"
          + " txn(s) applied</title></line>%n", c.getKey(), y + LANE + 1, c.getKey(), y + LANE + 5, c.getValue()));
    }
  }

  /** A dashed line through every lane where a server announced LEADING, labelled with epoch and leader. */
  private void elections(int lanes) {
    int bottom = TOP + lanes * (LANE + GAP) - GAP;
    double lastLabel = -1e9;
    for (TimelineEvent e : t.events()) {
      if (e instanceof TimelineEvent.RoleChanged r && r.role() == Role.LEADING) {
        double x = x(r.timeMicros());
        out.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1b5e20\" stroke-dasharray=\"3 2\">"
            + "<title>epoch %d: s%d elected at %s</title></line>%n", x, TOP - 14, x, bottom, r.epoch(), r.server(),
            time(r.timeMicros(), 1)));
        if (x - lastLabel > 56) {
          out.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"#1b5e20\" font-size=\"10\">e%d: s%d</text>%n", x + 2,
              TOP - 4, r.epoch(), r.server()));
          lastLabel = x;
        }
      }
    }
  }

  /** Network changes (diamonds) and notes (dots) on a row under the axis, described in their titles. */
  private void marks() {
    for (TimelineEvent e : t.events()) {
      if (e instanceof TimelineEvent.NetworkChanged n) {
        double x = x(n.timeMicros());
        String fill = n.cut().isEmpty() ? "#ffffff" : "#d32f2f";
        out.append(f("<path d=\"M%.1f 46 l5 5 l-5 5 l-5 -5 z\" fill=\"%s\" stroke=\"#b71c1c\"><title>%s: %s</title></path>%n",
            x, fill, time(n.timeMicros(), 1), esc(n.describe())));
      } else if (e instanceof TimelineEvent.Note n) {
        out.append(f("<circle cx=\"%.1f\" cy=\"51\" r=\"2.5\" fill=\"#757575\"><title>%s: %s</title></circle>%n",
            x(n.timeMicros()), time(n.timeMicros(), 1), esc(n.text())));
      }
    }
  }

  private void legend(int y) {
    int x = LEFT;
    x = swatch(x, y, FILL.get(Role.LEADING.name()), "leading (epoch)");
    x = swatch(x, y, FILL.get(Role.FOLLOWING.name()), "following (leader, epoch)");
    x = swatch(x, y, FILL.get(Role.OBSERVING.name()), "observing");
    x = swatch(x, y, FILL.get(Role.LOOKING.name()), "looking / syncing");
    x = swatch(x, y, FILL.get(Lanes.DOWN), "down");
    x = swatch(x, y, "url(#cut)", "cut off");
    swatch(x, y, "url(#pause)", "paused");
    int y2 = y + 20;
    out.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1b5e20\" stroke-dasharray=\"3 2\"/>%n",
        LEFT + 5, y2 - 9, LEFT + 5, y2 + 3));
    out.append(f("<text x=\"%d\" y=\"%d\">election</text>%n", LEFT + 12, y2));
    out.append(f("<path d=\"M%d %d l8 8 m0 -8 l-8 8\" stroke=\"#c62828\" stroke-width=\"2.5\"/>%n", LEFT + 80, y2 - 8));
    out.append(f("<text x=\"%d\" y=\"%d\">crash</text>%n", LEFT + 94, y2));
    out.append(f("<rect x=\"%d\" y=\"%d\" width=\"7\" height=\"7\" fill=\"#424242\"/>%n", LEFT + 140, y2 - 7));
    out.append(f("<text x=\"%d\" y=\"%d\">clean stop</text>%n", LEFT + 152, y2));
    out.append(f("<path d=\"M%d %d l6 4 l-6 4 z\" fill=\"#1b5e20\"/>%n", LEFT + 222, y2 - 8));
    out.append(f("<text x=\"%d\" y=\"%d\">start</text>%n", LEFT + 232, y2));
    out.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#263238\"/>%n", LEFT + 274, y2 - 6, LEFT + 274, y2 - 1));
    out.append(f("<text x=\"%d\" y=\"%d\">commit applied</text>%n", LEFT + 280, y2));
    out.append(f("<path d=\"M%d %d l5 5 l-5 5 l-5 -5 z\" fill=\"#d32f2f\" stroke=\"#b71c1c\"/>%n", LEFT + 380, y2 - 9));
    out.append(f("<text x=\"%d\" y=\"%d\">network change (hover for details)</text>%n", LEFT + 390, y2));
  }

  private int swatch(int x, int y, String fill, String label) {
    out.append(f("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\" stroke=\"#9e9e9e\" stroke-width=\"0.5\"/>%n",
        x, y - 9, fill));
    out.append(f("<text x=\"%d\" y=\"%d\">%s</text>%n", x + 18, y, esc(label)));
    return x + 26 + label.length() * 6;
  }

  private static String spanLabel(Lanes.Span s, double width) {
    String full = switch (s.state()) {
      case "LEADING" -> "leader e" + s.epoch();
      case "FOLLOWING" -> "s" + s.leader() + " e" + s.epoch();
      case "LOOKING" -> "looking";
      default -> "down";
    };
    if (width >= full.length() * 6.2 + 6) {
      return full;
    }
    String brief = switch (s.state()) {
      case "LEADING" -> "L" + s.epoch();
      case "FOLLOWING" -> "F" + s.epoch();
      default -> "";
    };
    return width >= brief.length() * 6.5 + 6 ? brief : "";
  }

  private static String spanTitle(long id, Lanes.Span s) {
    String what = switch (s.state()) {
      case "LEADING" -> "s" + id + " leads epoch " + s.epoch();
      case "FOLLOWING" -> "s" + id + " follows s" + s.leader() + " in epoch " + s.epoch();
      case "LOOKING" -> "s" + id + " looking (electing or syncing)";
      default -> "s" + id + " down";
    };
    return what + ", " + time(s.from(), 1) + " to " + time(s.to(), 1);
  }

  private double x(long micros) {
    return LEFT + PLOT * (micros / end);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw} microseconds. */
  static long niceStep(double raw) {
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (m * p >= raw) {
          return m * p;
        }
      }
      p *= 10;
    }
  }

  /** A time in seconds or milliseconds, with as many digits as {@code step} needs. */
  static String time(long micros, long step) {
    if (step >= 1_000_000 || micros >= 1_000_000 && step >= 100_000) {
      return trim(String.format(Locale.ROOT, "%.1f", micros / 1e6)) + "s";
    }
    if (micros >= 1_000_000) {
      return trim(String.format(Locale.ROOT, "%.3f", micros / 1e6)) + "s";
    }
    return trim(String.format(Locale.ROOT, "%.1f", micros / 1e3)) + "ms";
  }

  private static String trim(String number) {
    return number.contains(".") ? number.replaceAll("0+$", "").replaceAll("\\.$", "") : number;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
