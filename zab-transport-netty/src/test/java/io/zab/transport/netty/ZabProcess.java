package io.zab.transport.netty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link ZabProcessMain} child JVM on the test classpath, driven over its stdin and stdout. */
final class ZabProcess {
  private final Process process;
  private final Writer stdin;
  private final List<String> lines = new ArrayList<>();

  private ZabProcess(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readStdout, "stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static ZabProcess start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", childClassPath(), ZabProcessMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new ZabProcess(p);
  }

  /**
   * Everything this JVM runs, as one class path: the tests run patched into the io.zab.transport.netty module, so
   * their own classes and the module path are not on {@code java.class.path}.
   */
  private static String childClassPath() {
    List<String> parts = new ArrayList<>();
    try {
      parts.add(Path.of(ZabProcessMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        parts.add(value);
      }
    }
    return String.join(java.io.File.pathSeparator, parts);
  }

  private void readStdout() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException ended) {
      // the process died; waiters time out with what they got
    }
  }

  synchronized int mark() {
    return lines.size();
  }

  void command(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Waits for a line at index {@code from} or later that matches. */
  synchronized String await(int from, Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int i = from;
    while (true) {
      for (; i < lines.size(); i++) {
        if (match.test(lines.get(i))) {
          return lines.get(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || !process.isAlive() && i >= lines.size()) {
        throw new AssertionError("no matching line within " + timeout + " from pid " + process.pid()
            + "; last lines: " + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
      }
      wait(Math.max(1, Math.min(left / 1_000_000, 100)));
    }
  }

  /** Sends {@code command} and returns the first answer line starting with {@code prefix}. */
  String ask(String command, String prefix, Duration timeout) throws Exception {
    int mark = mark();
    command(command);
    return await(mark, l -> l.startsWith(prefix), timeout);
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void stop() throws InterruptedException, IOException {
    if (process.isAlive()) {
      stdin.close(); // the child closes its node on end of input
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
