package io.zab.testkit.timeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What happened to a cluster over time: each server's role and epoch, elections, crashes, partitions and
 * commits, as {@link TimelineEvent}s in time order. Render it with {@link #svg()} (a picture) or
 * {@link #html()} (the picture and a table of every event); {@link #text()} lists the events one per line.
 *
 * <pre>{@code
 * Timeline t = cluster.timeline();          // SimCluster or NodeCluster
 * t.writeHtml(Path.of("target/failover.html"));
 * }</pre>
 *
 * @param title a heading (the test, the seed)
 * @param servers the ids of the cluster's servers, ascending
 * @param events every event, by time (equal times keep the order they happened in)
 * @param endMicros the end of the picture: when the timeline was taken
 */
public record Timeline(String title, List<Long> servers, List<TimelineEvent> events, long endMicros) {
  /**
   * Sorts the servers and the events, and stretches {@code endMicros} to the last event if it is earlier.
   *
   * @param title a heading
   * @param servers the ids of the cluster's servers, in any order
   * @param events every event, in any order (a stable sort by time keeps equal times in this order)
   * @param endMicros the end of the picture
   */
  public Timeline {
    Objects.requireNonNull(title, "title");
    servers = servers.stream().sorted().toList();
    events = events.stream().sorted(Comparator.comparingLong(TimelineEvent::timeMicros)).toList();
    long last = events.isEmpty() ? 0 : events.get(events.size() - 1).timeMicros();
    endMicros = Math.max(endMicros, last);
  }

  /**
   * The same events under another title.
   *
   * @param newTitle the heading of the copy
   * @return a copy titled {@code newTitle}
   */
  public Timeline titled(String newTitle) {
    return new Timeline(newTitle, servers, events, endMicros);
  }

  /**
   * One line per event: time in seconds and what happened.
   *
   * @return the title, then one line per event
   */
  public String text() {
    StringBuilder sb = new StringBuilder(title).append('\n');
    for (TimelineEvent e : events) {
      sb.append(String.format("%12.6fs  %s%n", e.timeMicros() / 1e6, e.describe()));
    }
    return sb.toString();
  }

  /**
   * A standalone SVG picture: one lane per server (role and epoch over time), elections, cuts, commits.
   *
   * @return an SVG document
   */
  public String svg() {
    return TimelineSvg.render(this);
  }

  /**
   * A standalone HTML page: the picture, then every event in a table.
   *
   * @return an HTML document
   */
  public String html() {
    return html(List.of());
  }

  /**
   * {@link #html()} with lines shown above the picture (what failed, how to replay it).
   *
   * @param headerLines lines shown as they are (escaped), in order
   * @return an HTML document
   */
  public String html(List<String> headerLines) {
    return TimelineHtml.render(this, headerLines);
  }

  /**
   * Writes {@link #html()} to {@code file} (parent directories are created).
   *
   * @param file where to write, replaced if it exists
   * @return {@code file}
   * @throws IOException if the file or a parent directory cannot be written
   */
  public Path writeHtml(Path file) throws IOException {
    return write(file, html());
  }

  /**
   * Writes {@link #html(List)} to {@code file} (parent directories are created).
   *
   * @param file where to write, replaced if it exists
   * @param headerLines lines shown above the picture
   * @return {@code file}
   * @throws IOException if the file or a parent directory cannot be written
   */
  public Path writeHtml(Path file, List<String> headerLines) throws IOException {
    return write(file, html(headerLines));
  }

  /**
   * Writes {@link #svg()} to {@code file} (parent directories are created).
   *
   * @param file where to write, replaced if it exists
   * @return {@code file}
   * @throws IOException if the file or a parent directory cannot be written
   */
  public Path writeSvg(Path file) throws IOException {
    return write(file, svg());
  }

  private static Path write(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.writeString(file, content);
  }
}
