package io.zab.bench.cluster;

import java.util.List;
import java.util.Locale;

/**
 * A small hand-written SVG line chart (no plotting dependency): categorical x axis, linear or log10 y axis,
 * one polyline per series. A missing value (NaN) breaks the line.
 */
public final class SvgChart {

  /** One line of the chart; {@code values[i]} belongs to x label i. */
  public record Series(String name, String color, boolean dashed, double[] values) {}

  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final int LEFT = 80;
  private static final int RIGHT = 200;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;

  private SvgChart() {}

  public static String render(
      String title, String xLabel, List<String> xTicks, String yLabel, boolean logY, List<Series> series) {
    double max = 0;
    double min = Double.MAX_VALUE;
    for (Series s : series) {
      for (double v : s.values()) {
        if (!Double.isNaN(v) && v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (max == 0) {
      max = 1;
      min = 1;
    }
    double lo;
    double hi;
    if (logY) {
      lo = Math.floor(Math.log10(min));
      hi = Math.ceil(Math.log10(max));
      if (hi == lo) {
        hi = lo + 1;
      }
    } else {
      lo = 0;
      hi = niceCeiling(max * 1.05);
    }
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(text(LEFT + plotW / 2.0, 22, "middle", 15, escape(title)));
    // y grid and labels
    int yTicks = logY ? (int) (hi - lo) : 5;
    for (int i = 0; i <= yTicks; i++) {
      double y = TOP + plotH - plotH * i / (double) yTicks;
      double value = logY ? Math.pow(10, lo + i) : lo + (hi - lo) * i / yTicks;
      svg.append(line(LEFT, y, LEFT + plotW, y, "#ddd"));
      svg.append(text(LEFT - 6, y + 4, "end", 11, formatNumber(value)));
    }
    // x labels
    for (int i = 0; i < xTicks.size(); i++) {
      double x = xPos(i, xTicks.size(), plotW);
      svg.append(line(x, TOP, x, TOP + plotH, "#eee"));
      svg.append(text(x, TOP + plotH + 18, "middle", 11, escape(xTicks.get(i))));
    }
    svg.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333"));
    svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333"));
    svg.append(text(LEFT + plotW / 2.0, HEIGHT - 15, "middle", 12, escape(xLabel)));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s</text>%n",
        TOP + plotH / 2.0, TOP + plotH / 2.0, escape(yLabel)));
    // series
    int legendY = TOP + 10;
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.values().length; i++) {
        double v = s.values()[i];
        if (Double.isNaN(v) || (logY && v <= 0)) {
          flush(svg, points, s);
          continue;
        }
        double frac = logY ? (Math.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
        double x = xPos(i, xTicks.size(), plotW);
        double y = TOP + plotH - plotH * frac;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        svg.append(String.format(Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n", x, y, s.color()));
      }
      flush(svg, points, s);
      double lx = LEFT + plotW + 15;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
          lx, legendY, lx + 24, legendY, s.color(), s.dashed() ? " stroke-dasharray=\"6,4\"" : ""));
      svg.append(text(lx + 30, legendY + 4, "start", 11, escape(s.name())));
      legendY += 20;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void flush(StringBuilder svg, StringBuilder points, Series s) {
    if (points.length() > 0) {
      svg.append(String.format(Locale.ROOT,
          "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
          points.toString().trim(), s.color(), s.dashed() ? " stroke-dasharray=\"6,4\"" : ""));
      points.setLength(0);
    }
  }

  private static double xPos(int i, int n, int plotW) {
    return LEFT + plotW * (i + 0.5) / n;
  }

  private static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String formatNumber(double v) {
    if (v >= 1_000_000) {
      return trim(v / 1_000_000) + "M";
    }
    if (v >= 1_000) {
      return trim(v / 1_000) + "k";
    }
    return trim(v);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.replaceAll("\\.?0+$", "");
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1, y1, x2, y2, color);
  }

  private static String text(double x, double y, String anchor, int size, String body) {
    return String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n", x, y, anchor, size, body);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
