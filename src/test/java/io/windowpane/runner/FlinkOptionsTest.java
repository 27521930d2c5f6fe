package io.windowpane.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.testing.TestProperties;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.jupiter.api.Test;

/** Which Flink execution each job gets: batch for files, streaming for the rest; copies skipped for bounded input. */
class FlinkOptionsTest {

  @Test
  void filesRunInBatchExecutionWithoutCopies() {
    FlinkPipelineOptions options = flink(Map.of("agg.mode", "batch"));
    assertThat(options.isStreaming()).isFalse();
    assertThat(options.getFasterCopy()).isTrue();
  }

  @Test
  void aBoundedKafkaReadStreamsWithoutCopies() {
    FlinkPipelineOptions options = flink(Map.of("agg.stream.source", "kafka", "agg.kafka.stop-at", "end"));
    assertThat(options.isStreaming()).isTrue();
    assertThat(options.getFasterCopy()).isTrue();
  }

  @Test
  void scenariosStreamWithCopies() {
    FlinkPipelineOptions options = flink(Map.of());
    assertThat(options.isStreaming()).isTrue();
    assertThat(options.getFasterCopy()).isFalse();
    assertThat(options.getParallelism()).isEqualTo(1);
  }

  @Test
  void theUsersOwnSettingsWin() {
    FlinkPipelineOptions options = flink(Map.of("agg.mode", "batch", "agg.runner-args[0]", "--streaming=true",
        "agg.runner-args[1]", "--fasterCopy=false"));
    assertThat(options.isStreaming()).isTrue();
    assertThat(options.getFasterCopy()).isFalse();
  }

  private static FlinkPipelineOptions flink(Map<String, String> overrides) {
    Map<String, String> all = new java.util.HashMap<>(overrides);
    all.put("agg.runner", "flink");
    AggProperties properties = TestProperties.with(all);
    return new RunnerOptions(properties, RunnerChoice.of(properties, 0), CheckpointPlan.NONE).create()
        .as(FlinkPipelineOptions.class);
  }
}
