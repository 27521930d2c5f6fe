package io.windowpane.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.testing.TestProperties;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's name on a cluster says whose it is: the same for every start of a live job with one checkpoint folder, and
 * another for another folder or for another instance's unchecked job. And a start against a cluster that cannot be
 * asked whether it runs the job is refused.
 */
class FlinkJobNameTest {

  @TempDir Path dir;

  @Test
  void aLiveJobIsNamedAfterItsCheckpointFolderAnyOtherAfterItsInstance() {
    AggProperties live = live(dir.resolve("checkpoints").toString());
    AggProperties sameFolderAsUri = live(dir.resolve("checkpoints").toUri().toString());
    AggProperties otherFolder = live(dir.resolve("other").toString());

    assertThat(FlinkJobName.of(live, "a")).matches("windowpane-stream-[0-9a-f]{12}")
        .isEqualTo(FlinkJobName.of(live, "b")).isEqualTo(FlinkJobName.of(sameFolderAsUri, "c"))
        .isNotEqualTo(FlinkJobName.of(otherFolder, "a"));

    AggProperties batch = TestProperties.with(Map.of("agg.mode", "batch"));
    assertThat(FlinkJobName.of(batch, "a1b2c3d4")).isEqualTo("windowpane-batch-a1b2c3d4");
  }

  @Test
  void aStartAgainstAClusterThatDoesNotAnswerIsRefused() {
    AggProperties remote = TestProperties.with(Map.of("agg.mode", "stream", "agg.stream.source", "kafka",
        "agg.runner", "flink", "agg.checkpoint.dir", dir.resolve("checkpoints").toString(),
        "agg.runner-args", "--flinkMaster=127.0.0.1:9"));
    assertThatThrownBy(() -> RemoteTwinCheck.refuseRunningTwin(remote))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          assertThat(e.property()).isEqualTo("agg.runner-args");
          assertThat(e.problem()).contains("cannot be asked whether it still runs this job");
        });
  }

  private static AggProperties live(String checkpointDir) {
    AggProperties properties = TestProperties.with(Map.of("agg.mode", "stream", "agg.stream.source", "kafka",
        "agg.runner", "flink", "agg.checkpoint.dir", checkpointDir));
    assertThat(properties.checkpointed()).isTrue();
    return properties;
  }
}
