package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.runner.RunnerChoice;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** agg.output.layout=auto shards file outputs exactly where workers are not threads of this JVM. */
class OutputShardingTest {

  @ParameterizedTest(name = "{0} {1} {2} shards={3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      auto        | direct |                                                   | 0 | 0
      auto        | flink  |                                                   | 0 | 0
      auto        | flink  | --flinkMaster=[local]                             | 0 | 0
      auto        | flink  | --parallelism=1                                   | 0 | 0
      auto        | flink  | --parallelism=4                                   | 0 | 4
      auto        | flink  | --flinkMaster=jm:8081                             | 0 | 1
      auto        | flink  | --flinkMaster=jm:8081 --parallelism=8             | 0 | 8
      auto        | flink  | --flinkMaster=jm:8081                             | 3 | 3
      auto        | direct | --parallelism=4                                   | 0 | 0
      single-file | flink  | --flinkMaster=jm:8081                             | 0 | 0
      sharded     | direct |                                                   | 0 | 1
      sharded     | direct |                                                   | 5 | 5
      """)
  void shardsForAClusterOrWhenAskedAndWritesOneFileOtherwise(String layout, String runner, String runnerArgs, int shards, int expected) {
    AggProperties properties = properties(layout, runner, runnerArgs, shards);
    assertThat(OutputSharding.shards(properties, RunnerChoice.of(properties, 0))).isEqualTo(expected);
  }

  /** Issue 34 item 8: Beam's shards are written as panes fire, so a checkpointed live job refuses them. */
  @ParameterizedTest
  @CsvSource({"flink", "auto"})
  void aCheckpointedLiveJobRefusesShardsAndAutoGivesItOneExactlyOnceFile(String runner) {
    AggProperties sharded = properties("sharded", runner, "--flinkMaster=jm:8081", 0, "stream", "kafka");
    assertThat(sharded.checkpointed()).isTrue();
    assertThatThrownBy(() -> OutputSharding.shards(sharded, RunnerChoice.of(sharded, 0)))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          assertThat(e.property()).isEqualTo("agg.output.layout");
          assertThat(e.problem()).contains("not exactly once").contains("single-file");
        });
    AggProperties auto = properties("auto", runner, "--flinkMaster=jm:8081", 0, "stream", "kafka");
    assertThat(OutputSharding.shards(auto, RunnerChoice.of(auto, 0))).isZero();
    AggProperties direct = properties("sharded", "direct", "", 0, "stream", "kafka");
    assertThat(OutputSharding.shards(direct, RunnerChoice.of(direct, 0))).as("not checkpointed").isEqualTo(1);
  }

  private static AggProperties properties(String layout, String runner, String runnerArgs, int shards) {
    return properties(layout, runner, runnerArgs, shards, "batch", "scenario");
  }

  private static AggProperties properties(String layout, String runner, String runnerArgs, int shards, String mode,
      String source) {
    var values = new java.util.HashMap<String, Object>();
    values.put("agg.mode", mode);
    values.put("agg.window.size", "60s");
    values.put("agg.window.allowed-lateness", "0s");
    values.put("agg.trigger.early-delay", "0s");
    values.put("agg.trigger.late-delay", "0s");
    values.put("agg.trigger.accumulation", "accumulating");
    values.put("agg.batch.input", "x");
    values.put("agg.stream.source", source);
    values.put("agg.stream.scenario", "x");
    values.put("agg.kafka.max-out-of-orderness", "1s");
    values.put("agg.kafka.connect-timeout", "1s");
    values.put("agg.kafka.stop-at", "never");
    values.put("agg.runner", runner);
    values.put("agg.progress-interval", "1s");
    values.put("agg.output.layout", layout);
    values.put("agg.output.shards", shards);
    List<String> args = runnerArgs == null || runnerArgs.isEmpty() ? List.of() : List.of(runnerArgs.split(" "));
    for (int i = 0; i < args.size(); i++) {
      values.put("agg.runner-args[" + i + "]", args.get(i));
    }
    return new Binder(new MapConfigurationPropertySource(values)).bind("agg", AggProperties.class).get();
  }
}
