package io.zab.nemesis.net;

import java.time.Duration;
import java.util.List;

/** Runs an operating-system command (ip, tc, kill): the one seam between the suite's logic and the host. */
public interface CommandRunner {

  /** What a command did: its exit code and its output (stdout and stderr together). */
  record Result(List<String> command, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    public String describe() {
      return String.join(" ", command) + " -> exit " + exitCode + (output.isBlank() ? "" : ": " + output.strip());
    }
  }

  /** Runs {@code command}, waiting at most {@code timeout} (then it is killed and the exit code is 124). */
  Result run(List<String> command, Duration timeout);

  /** Runs {@code command} and fails, naming the command and its output, unless it exits 0. */
  default Result check(List<String> command) {
    Result r = run(command, Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return r;
  }

  /** A command that had to succeed did not. */
  final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailedException(Result result) {
      super(result.describe());
    }
  }
}
