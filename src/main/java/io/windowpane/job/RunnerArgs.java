package io.windowpane.job;

import java.util.List;
import java.util.Optional;

/** What the user passed through {@code agg.runner-args}, so windowpane's own runner defaults never override it. */
final class RunnerArgs {

  private RunnerArgs() {}

  /** Whether {@code --option=...} is among the runner arguments. */
  static boolean given(List<String> runnerArgs, String option) {
    return runnerArgs.stream().anyMatch(arg -> arg.startsWith("--" + option + "="));
  }

  /** The value of the last {@code --option=value} among the runner arguments. */
  static Optional<String> value(List<String> runnerArgs, String option) {
    String prefix = "--" + option + "=";
    return runnerArgs.stream().filter(arg -> arg.startsWith(prefix)).map(arg -> arg.substring(prefix.length()))
        .reduce((first, last) -> last);
  }
}
