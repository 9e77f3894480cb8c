package io.zab.testkit.timeline;

import java.util.List;

/** A standalone HTML page: optional header lines (what failed, how to replay it), the picture, every event. */
final class TimelineHtml {
  private TimelineHtml() {}

  static String render(Timeline t, List<String> headerLines) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>").append(TimelineSvg.esc(t.title()))
        .append("</title>\n<style>body{font-family:sans-serif;margin:16px}pre{background:#f5f5f5;padding:8px;"
            + "white-space:pre-wrap}table{border-collapse:collapse;font-size:12px}td{padding:1px 8px;"
            + "border-bottom:1px solid #eee;font-family:monospace}</style></head><body>\n");
    sb.append("<h2>").append(TimelineSvg.esc(t.title())).append("</h2>\n");
    if (!headerLines.isEmpty()) {
      sb.append("<pre>");
      headerLines.forEach(l -> sb.append(TimelineSvg.esc(l)).append('\n'));
      sb.append("</pre>\n");
    }
    sb.append(t.svg());
    sb.append("<h3>Events (").append(t.events().size()).append(")</h3>\n<table>\n");
    for (TimelineEvent e : t.events()) {
      sb.append("<tr><td>").append(String.format(java.util.Locale.ROOT, "%.6fs", e.timeMicros() / 1e6))
          .append("</td><td>").append(TimelineSvg.esc(e.describe())).append("</td></tr>\n");
    }
    sb.append("</table>\n</body></html>\n");
    return sb.toString();
  }
}
