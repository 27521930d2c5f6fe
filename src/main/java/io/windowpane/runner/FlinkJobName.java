package io.windowpane.runner;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The job's name on a Flink cluster (Beam's {@code --jobName}), by which windowpane finds its job there to read its
 * figures, drain, stop or cancel it. A cluster may run other jobs, windowpane's own among them, so the name says whose
 * it is: a checkpointed live job's names its checkpoint folder (the same on every start of that job, so that a start
 * finds the one a killed instance left running: {@link RemoteTwinCheck}); any other job's names this instance.
 */
final class FlinkJobName {

  private FlinkJobName() {}

  /** @param instance a random id of this application instance */
  static String of(AggProperties properties, String instance) {
    String name = "windowpane-" + properties.mode().name().toLowerCase();
    if (!properties.checkpointed()) {
      return name + "-" + instance;
    }
    String folder = CheckpointPlan.folderUri(properties.checkpoint().dir()).toString();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(folder.getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
