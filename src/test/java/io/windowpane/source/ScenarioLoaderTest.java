package io.windowpane.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windowpane.config.InvalidJobSpecException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {

  @Test
  void loadsTheBuiltInTutorialScenario() {
    Scenario scenario = ScenarioLoader.load("classpath:scenarios/tutorial.yml");
    assertThat(scenario.baseTime()).isEqualTo(Instant.parse("2026-01-08T10:00:00Z"));
    assertThat(scenario.steps()).hasSize(9);
    assertThat(scenario.steps().get(0)).isEqualTo(
        new Scenario.AdvanceWatermark(1, Instant.parse("2026-01-08T10:00:00Z").toEpochMilli(), false));
    assertThat(scenario.steps().get(2)).isEqualTo(new Scenario.AdvanceProcessingTime(3, 5_000));
    Scenario.AddElements late = (Scenario.AddElements) scenario.steps().get(6);
    assertThat(late.lines()).singleElement().satisfies(line -> {
      assertThat(line.eventTimeMillis()).isEqualTo(Instant.parse("2026-01-08T10:00:50Z").toEpochMilli());
      assertThat(line.json()).contains("\"user_id\":\"u2\"", "\"event_time\":\"2026-01-08T10:00:50Z\"");
    });
    assertThat(scenario.steps().get(8)).isEqualTo(new Scenario.AdvanceWatermark(9, Long.MAX_VALUE, true));
  }

  @Test
  void fractionalSecondsAreExactMilliseconds() {
    Scenario scenario = ScenarioLoader.parse("s.yml", """
        base-time: 2026-01-08T10:00:00Z
        steps:
          - add: [{user_id: u1, amount: 1, t: 0.001}]
          - processing-time: 0.25
          - watermark: 1.5
        """);
    assertThat(((Scenario.AddElements) scenario.steps().get(0)).lines().get(0).eventTimeMillis())
        .isEqualTo(Instant.parse("2026-01-08T10:00:00.001Z").toEpochMilli());
    assertThat(scenario.steps().get(1)).isEqualTo(new Scenario.AdvanceProcessingTime(2, 250));
  }

  @Test
  void aScenarioOf50000ElementsLoads() {
    StringBuilder yaml = new StringBuilder("base-time: 2026-01-08T10:00:00Z\nsteps:\n");
    for (int step = 0; step < 500; step++) {
      yaml.append("  - add:\n");
      for (int i = 0; i < 100; i++) {
        yaml.append("      - {user_id: user-with-a-longish-name-").append(i)
            .append(", event_type: purchase, amount: 12.25, t: ").append(step).append("}\n");
      }
    }
    assertThat(yaml.length()).isGreaterThan(3 * 1024 * 1024);
    assertThat(ScenarioLoader.parse("big.yml", yaml.toString()).steps()).hasSize(500);
  }

  static Stream<Arguments> malformedScenarios() {
    String base = "base-time: 2026-01-08T10:00:00Z\n";
    return Stream.of(
        Arguments.of("watermark going backwards", base + "steps:\n  - watermark: 61\n  - watermark: 30\n",
            "scenario step 2 (watermark) goes backwards: to 30 s, but it is already at 61 s"),
        Arguments.of("unknown step key", base + "steps:\n  - watermark: 0\n  - sleep: 5\n",
            "scenario step 2 unknown key 'sleep'"),
        Arguments.of("unknown top-level key", base + "stepz: []\n", "scenario unknown key 'stepz'"),
        Arguments.of("unknown element key", base + "steps:\n  - add: [{user_id: u1, amount: 1, t: 5, x: 1}]\n",
            "scenario step 1 (add) element 1: unknown key 'x'"),
        Arguments.of("element without t", base + "steps:\n  - add: [{user_id: u1, amount: 1}]\n",
            "scenario step 1 (add) element 1: t (event time, seconds after base-time) is missing"),
        Arguments.of("element without user_id", base + "steps:\n  - add: [{amount: 1, t: 3}]\n",
            "scenario step 1 (add) element 1: user_id is missing"),
        Arguments.of("element with a text amount", base + "steps:\n  - add: [{user_id: u, amount: ten, t: 3}]\n",
            "scenario step 1 (add) element 1: amount must be a number"),
        Arguments.of("two keys in one step", base + "steps:\n  - {watermark: 1, processing-time: 2}\n",
            "scenario step 1 must be exactly one of watermark, add, processing-time"),
        Arguments.of("non-positive processing time", base + "steps:\n  - processing-time: 0\n",
            "scenario step 1 (processing-time) must advance by more than 0 s"),
        Arguments.of("watermark that is not a number", base + "steps:\n  - watermark: soon\n",
            "scenario step 1 (watermark) expects a number of seconds or 'end'"),
        Arguments.of("step after the end", base + "steps:\n  - watermark: end\n  - watermark: 5\n",
            "scenario step 2 comes after 'watermark: end'"),
        Arguments.of("missing base-time", "steps:\n  - watermark: 0\n", "scenario 'base-time' is missing"),
        Arguments.of("bad base-time", "base-time: tomorrow\nsteps:\n  - watermark: 0\n",
            "scenario 'base-time' tomorrow is not an ISO-8601 instant"),
        Arguments.of("no steps", base + "steps: []\n", "scenario 'steps' must be a non-empty list"),
        Arguments.of("not YAML", "base-time: [unclosed\n", "scenario not valid YAML"),
        Arguments.of("not a mapping", "- watermark: 0\n", "scenario must be a YAML mapping"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedScenarios")
  void rejectsMalformedScenariosNamingTheStepAndProblem(String description, String yaml, String message) {
    assertThatThrownBy(() -> ScenarioLoader.parse("bad.yml", yaml))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          assertThat(e.property()).isEqualTo("agg.stream.scenario");
          assertThat(e.value()).isEqualTo("bad.yml");
          assertThat(e.problem()).contains(message);
        });
  }

  @Test
  void missingScenarioFileIsReportedWithItsPath() {
    assertThatThrownBy(() -> ScenarioLoader.load("no/such/scenario.yml"))
        .isInstanceOf(InvalidJobSpecException.class)
        .hasMessageContaining("agg.stream.scenario")
        .hasMessageContaining("file not found");
  }
}
