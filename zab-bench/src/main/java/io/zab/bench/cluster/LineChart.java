package io.zab.bench.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart drawn by hand (no plotting dependency): categorical x axis, linear or log10 y axis,
 * one line per series, legend on the right. Rendered as SVG or as PNG. A NaN value breaks the line.
 */
public record LineChart(String title, String xLabel, List<String> xTicks, String yLabel, boolean logY,
    List<LineChart.Series> series) {

  /** One line; {@code values[i]} belongs to x tick i. */
  public record Series(String name, String color, boolean dashed, double[] values) {}

  static final int WIDTH = 760;
  static final int HEIGHT = 420;
  private static final int LEFT = 80;
  private static final int RIGHT = 230;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;

  public String toSvg() {
    SvgCanvas canvas = new SvgCanvas(WIDTH, HEIGHT);
    draw(canvas);
    return canvas.finish();
  }

  public byte[] toPng() throws IOException {
    PngCanvas canvas = new PngCanvas(WIDTH, HEIGHT);
    draw(canvas);
    return canvas.finish();
  }

  private void draw(ChartCanvas c) {
    double[] range = yRange();
    double lo = range[0];
    double hi = range[1];
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    c.text(LEFT + plotW / 2.0, 22, "middle", 15, title, false);
    int yTicks = logY ? (int) (hi - lo) : 5;
    for (int i = 0; i <= yTicks; i++) {
      double y = TOP + plotH - plotH * i / (double) yTicks;
      double value = logY ? Math.pow(10, lo + i) : lo + (hi - lo) * i / yTicks;
      c.line(LEFT, y, LEFT + plotW, y, "#dddddd", 1, false);
      c.text(LEFT - 6, y + 4, "end", 11, formatNumber(value), false);
    }
    for (int i = 0; i < xTicks.size(); i++) {
      double x = xPos(i, plotW);
      c.line(x, TOP, x, TOP + plotH, "#eeeeee", 1, false);
      c.text(x, TOP + plotH + 18, "middle", 11, xTicks.get(i), false);
    }
    c.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333333", 1, false);
    c.line(LEFT, TOP, LEFT, TOP + plotH, "#333333", 1, false);
    c.text(LEFT + plotW / 2.0, HEIGHT - 15, "middle", 12, xLabel, false);
    c.text(22, TOP + plotH / 2.0, "middle", 12, yLabel, true);
    int legendY = TOP + 10;
    for (Series s : series) {
      List<double[]> run = new ArrayList<>();
      for (int i = 0; i < s.values().length; i++) {
        double v = s.values()[i];
        if (Double.isNaN(v) || (logY && v <= 0)) {
          drawRun(c, run, s);
          continue;
        }
        double frac = logY ? (Math.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
        double[] point = {xPos(i, plotW), TOP + plotH - plotH * frac};
        run.add(point);
        c.dot(point[0], point[1], 3.5, s.color());
      }
      drawRun(c, run, s);
      double lx = LEFT + plotW + 15;
      c.line(lx, legendY, lx + 24, legendY, s.color(), 2.5, s.dashed());
      c.text(lx + 30, legendY + 4, "start", 11, s.name(), false);
      legendY += 20;
    }
  }

  private static void drawRun(ChartCanvas c, List<double[]> run, Series s) {
    if (run.size() > 1) {
      c.polyline(run.stream().mapToDouble(p -> p[0]).toArray(), run.stream().mapToDouble(p -> p[1]).toArray(),
          s.color(), s.dashed());
    }
    run.clear();
  }

  /** {lo, hi}: exponents of ten for a log axis, values for a linear one. */
  private double[] yRange() {
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
      return logY ? new double[] {0, 1} : new double[] {0, 1};
    }
    if (!logY) {
      return new double[] {0, niceCeiling(max * 1.05)};
    }
    double lo = Math.floor(Math.log10(min));
    double hi = Math.ceil(Math.log10(max));
    return new double[] {lo, hi == lo ? lo + 1 : hi};
  }

  private double xPos(int i, int plotW) {
    return LEFT + plotW * (i + 0.5) / xTicks.size();
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
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.contains(".") ? s.replaceAll("\\.?0+$", "") : s;
  }
}
