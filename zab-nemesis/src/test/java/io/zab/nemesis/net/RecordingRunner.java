package io.zab.nemesis.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A {@link CommandRunner} that records every command and answers from a function (default: exit 0). */
final class RecordingRunner implements CommandRunner {
  final List<String> commands = new ArrayList<>();
  private final Function<String, Result> answers;

  RecordingRunner(Function<String, Result> answers) {
    this.answers = answers;
  }

  static Result ok(String output) {
    return new Result(List.of(), 0, output);
  }

  static Result fail(String output) {
    return new Result(List.of(), 1, output);
  }

  @Override
  public synchronized Result run(List<String> command, Duration timeout) {
    String line = String.join(" ", command);
    commands.add(line);
    Result r = answers.apply(line);
    return new Result(command, r.exitCode(), r.output());
  }
}
