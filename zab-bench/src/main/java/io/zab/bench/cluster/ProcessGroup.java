package io.zab.bench.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every child JVM of one benchmark run. Children are always killed: by {@link #close()}, by a shutdown hook
 * if the orchestrator is interrupted, and by the children themselves ({@link ExitWithParent}) if the
 * orchestrator dies without running hooks. Each child's stdout and stderr go to a log file.
 */
public final class ProcessGroup implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::destroyAll, "kill-benchmark-children");

  public ProcessGroup() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <args>} with output to {@code log}.
   */
  public synchronized Process startJava(
      List<String> classpath, List<String> jvmOptions, String mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(mainClass);
    command.addAll(args);
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE) // kept open; EOF tells the child we are gone
            .start();
    processes.add(process);
    return process;
  }

  /** Stops one child: polite first, then forcibly. */
  public void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void destroyAll() {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
    for (Process process : processes) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run; nothing left to do
    }
  }
}
