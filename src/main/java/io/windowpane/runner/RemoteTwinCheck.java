package io.windowpane.runner;

import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * One job per checkpoint folder on a remote Flink cluster (issue 34): when the application that started a live job
 * there is killed, the job runs on, writing the folder's checkpoints and the job's outputs. A start of the same job
 * (same folder: {@link FlinkJobName}) would be a second writer of both, so it is refused at startup (exit code 2),
 * naming the job it found, before the folder is read or tidied. The folder's own lock cannot see that job: the task
 * managers write, not this application.
 */
public final class RemoteTwinCheck {

  private RemoteTwinCheck() {}

  /** Refuses the start while the cluster runs this job from an earlier start. */
  public static void refuseRunningTwin(AggProperties properties) {
    Optional<URI> remote = RunnerArgs.remoteFlinkRest(properties.runnerArgs());
    if (!properties.checkpointed() || remote.isEmpty()) {
      return;
    }
    URI rest = remote.get();
    String name = FlinkJobName.of(properties, "");
    String dir = properties.checkpoint().dir();
    Optional<String> twin;
    try {
      twin = new FlinkRestClient(rest).notEndedJob(name);
    } catch (IOException e) {
      throw new InvalidJobSpecException("agg.runner-args", "--flinkMaster="
          + RunnerArgs.value(properties.runnerArgs(), "flinkMaster").orElseThrow(), "cannot be asked whether it"
          + " still runs this job (" + e.getMessage() + "): a start must not run a second one", e);
    }
    if (twin.isPresent()) {
      throw new InvalidJobSpecException("agg.checkpoint.dir", dir, "is the folder of Flink job " + twin.get() + " ("
          + name + "), which still runs on " + rest + " (the instance that started it is gone): one job writes a"
          + " folder and its outputs. Cancel it (flink cancel " + twin.get() + ", or PATCH " + rest + "/jobs/"
          + twin.get() + "?mode=cancel; its checkpoints are kept) and start again: this start then resumes from its"
          + " newest checkpoint");
    }
  }
}
