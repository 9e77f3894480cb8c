package io.zab.nemesis.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs commands as child processes of this JVM. */
public final class SystemCommandRunner implements CommandRunner {
  /** The exit code of a command that ran out of time (as coreutils' timeout reports it). */
  public static final int TIMED_OUT = 124;

  /** Reads the commands' output; a thread each, so commands run in parallel never wait for each other. */
  private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "command-output");
    t.setDaemon(true);
    return t;
  });

  @Override
  public Result run(List<String> command, Duration timeout) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      return new Result(command, 127, "cannot run " + command.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), readers);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(command, TIMED_OUT, "timed out after " + timeout.toMillis() + " ms");
      }
      String out;
      try {
        out = output.get(5, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        out = "(output unreadable: " + e + ")";
      }
      return new Result(command, p.exitValue(), out);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(command, 130, "interrupted");
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
