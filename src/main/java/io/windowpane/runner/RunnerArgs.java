package io.windowpane.runner;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** What the user passed through {@code agg.runner-args}, so windowpane's own runner defaults never override it. */
public final class RunnerArgs {

  private RunnerArgs() {}

  /** Whether {@code --option=...} is among the runner arguments. */
  public static boolean given(List<String> runnerArgs, String option) {
    return value(runnerArgs, option).isPresent();
  }

  /** The value of the last {@code --option=value} among the runner arguments. */
  public static Optional<String> value(List<String> runnerArgs, String option) {
    String prefix = "--" + option + "=";
    return runnerArgs.stream().filter(arg -> arg.startsWith(prefix)).map(arg -> arg.substring(prefix.length()))
        .reduce((first, last) -> last);
  }

  /** Whether {@code --flinkMaster} names a cluster of its own rather than one embedded in this JVM. */
  public static boolean remoteFlinkMaster(List<String> runnerArgs) {
    return value(runnerArgs, "flinkMaster")
        .filter(master -> !master.equals(FlinkOptions.LOCAL_MASTER) && !master.equals("[auto]"))
        .isPresent();
  }

  /** The REST address of the cluster {@code --flinkMaster} names, when it is a cluster of its own. */
  public static Optional<URI> remoteFlinkRest(List<String> runnerArgs) {
    if (!remoteFlinkMaster(runnerArgs)) {
      return Optional.empty();
    }
    String master = value(runnerArgs, "flinkMaster").orElseThrow();
    return Optional.of(URI.create(master.contains("://") ? master : "http://" + master));
  }
}
