package io.windowpane.job;

import java.util.List;

/** What the user passed through {@code agg.runner-args}, so windowpane's own runner defaults never override it. */
final class RunnerArgs {

  private RunnerArgs() {}

  /** Whether {@code --option=...} is among the runner arguments. */
  static boolean given(List<String> runnerArgs, String option) {
    return runnerArgs.stream().anyMatch(arg -> arg.startsWith("--" + option + "="));
  }
}
