package io.zab.bench.cluster;

/** The few drawing primitives {@link LineChart} needs; implemented for SVG text and for PNG (Java2D). */
interface ChartCanvas {

  /** Colors are "#rrggbb". */
  void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

  void polyline(double[] xs, double[] ys, String color, boolean dashed);

  void dot(double cx, double cy, double radius, String color);

  /** {@code anchor}: "start", "middle" or "end"; {@code vertical} rotates the text by -90 degrees. */
  void text(double x, double y, String anchor, int size, String text, boolean vertical);
}
