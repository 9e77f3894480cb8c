package io.zab.nemesis.proc;

import io.zab.nemesis.net.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One example server ({@code ZabKvServer}) started inside its namespace, with signals for the faults: kill -9,
 * SIGSTOP / SIGCONT. An exit nobody asked for is reported to {@code onUnexpectedExit} (a server must never
 * exit unless killed).
 */
public final class ServerProcess {
  private final int id;
  private final List<String> command;
  private final Path log;
  private final CommandRunner runner;
  private final Consumer<String> onUnexpectedExit;
  private Process process;
  private boolean stopped;
  private int generation;

  public ServerProcess(int id, List<String> command, Path log, CommandRunner runner, Consumer<String> onUnexpectedExit) {
    this.id = id;
    this.command = List.copyOf(command);
    this.log = log;
    this.runner = runner;
    this.onUnexpectedExit = onUnexpectedExit;
  }

  public int id() {
    return id;
  }

  public Path log() {
    return log;
  }

  /** Starts the server (appending to its log); a no-op if it runs. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start server " + id + ": " + e.getMessage(), e);
    }
    stopped = false;
    int started = ++generation;
    Process p = process;
    p.onExit().thenAccept(done -> exited(started, done));
  }

  private synchronized void exited(int started, Process p) {
    if (started == generation && process == p) {
      process = null;
      onUnexpectedExit.accept("server " + id + " (pid " + p.pid() + ") exited with code " + p.exitValue()
          + " without being killed; see " + log);
    }
  }

  /** kill -9, and waits until it is gone. */
  public void kill() {
    Process p;
    synchronized (this) {
      p = process;
      process = null; // an exit from now on is expected
      generation++;
    }
    if (p == null) {
      return;
    }
    signal(p, "KILL");
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("server " + id + " (pid " + p.pid() + ") survived kill -9 for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the process freezes (a long GC pause, a stalled VM). */
  public synchronized void pause() {
    if (process != null) {
      signal(process, "STOP");
      stopped = true;
    }
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    if (process != null && stopped) {
      signal(process, "CONT");
      stopped = false;
    }
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  public synchronized boolean paused() {
    return stopped;
  }

  private void signal(Process p, String signal) {
    runner.check(List.of("kill", "-" + signal, Long.toString(p.pid())));
  }

  /** The command line that starts server {@code id} (the JVM, its options, the main class and its flags). */
  public static List<String> command(String namespace, String java, String classpath, List<String> jvmOptions,
      List<String> serverArgs) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace, java));
    c.addAll(jvmOptions);
    c.addAll(List.of("-cp", classpath, "io.zab.examples.server.ZabKvServer"));
    c.addAll(serverArgs);
    return c;
  }
}
