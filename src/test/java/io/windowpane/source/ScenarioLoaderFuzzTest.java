package io.windowpane.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.windowpane.config.InvalidJobSpecException;

/**
 * Coverage-guided fuzzing of the scenario loader (Jazzer): whatever a scenario file holds, it loads, or is refused
 * with {@link InvalidJobSpecException} naming the property and the problem (exit code 2), never another exception or a
 * hang. The inputs that found something are kept in {@code ScenarioLoaderFuzzTestInputs/}.
 */
class ScenarioLoaderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void aScenarioLoadsOrIsRefusedWithItsReason(@NotNull String yaml) {
    try {
      Scenario scenario = ScenarioLoader.parse("fuzz.yml", yaml);
      assertThat(scenario.steps()).isNotEmpty();
    } catch (InvalidJobSpecException refused) {
      assertThat(refused.getMessage()).contains("agg.stream.scenario").contains("scenario");
    }
  }
}
