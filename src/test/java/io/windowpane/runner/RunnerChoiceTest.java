package io.windowpane.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.config.AggProperties;
import io.windowpane.config.AggProperties.RunnerKind;
import io.windowpane.testing.TestProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** agg.runner=auto picks the runner that suits the input, and the log says why; an explicit runner is kept. */
class RunnerChoiceTest {

  @Test
  void scenariosRunOnTheDirectRunner() {
    RunnerChoice choice = RunnerChoice.of(properties(Map.of()), 0);
    assertThat(choice.kind()).isEqualTo(RunnerKind.DIRECT);
    assertThat(choice.reason()).contains("scenario");
  }

  @Test
  void liveKafkaRunsOnFlinkWithCheckpoints() {
    RunnerChoice choice = RunnerChoice.of(properties(Map.of("agg.stream.source", "kafka")), 0);
    assertThat(choice.kind()).isEqualTo(RunnerKind.FLINK);
    assertThat(choice.reason()).contains("a live Kafka job").contains("checkpoints every 10s");
  }

  @Test
  void boundedKafkaReadsRunOnFlink() {
    RunnerChoice choice =
        RunnerChoice.of(properties(Map.of("agg.stream.source", "kafka", "agg.kafka.stop-at", "end")), 0);
    assertThat(choice.kind()).isEqualTo(RunnerKind.FLINK);
    assertThat(choice.reason()).contains("bounded Kafka read");
  }

  @Test
  void batchFilesRunOnFlinkFrom4MB() {
    AggProperties batch = properties(Map.of("agg.mode", "batch"));
    RunnerChoice small = RunnerChoice.of(batch, RunnerChoice.FLINK_BATCH_FROM_BYTES - 1);
    assertThat(small.kind()).isEqualTo(RunnerKind.DIRECT);
    assertThat(small.reason()).contains("4.0 MB of input runs on the DirectRunner");
    RunnerChoice large = RunnerChoice.of(batch, RunnerChoice.FLINK_BATCH_FROM_BYTES);
    assertThat(large.kind()).isEqualTo(RunnerKind.FLINK);
    assertThat(large.reason()).contains("4.0 MB of input runs in Flink's batch execution");
  }

  @Test
  void anExplicitRunnerIsKept() {
    assertThat(RunnerChoice.of(properties(Map.of("agg.mode", "batch", "agg.runner", "direct")), 1L << 40).kind())
        .isEqualTo(RunnerKind.DIRECT);
    RunnerChoice flink = RunnerChoice.of(properties(Map.of("agg.runner", "flink")), 0);
    assertThat(flink.kind()).isEqualTo(RunnerKind.FLINK);
    assertThat(flink.reason()).isEqualTo("agg.runner=flink");
  }

  private static AggProperties properties(Map<String, String> overrides) {
    return TestProperties.with(overrides);
  }
}
