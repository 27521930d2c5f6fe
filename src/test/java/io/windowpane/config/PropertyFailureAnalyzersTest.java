package io.windowpane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.AppProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Rejected properties are reported as users write them: an unknown {@code agg.*} property (a typo) stops the
 * application with exit code 2 and the property it most likely meant; a value that breaks a constraint is named in
 * kebab-case.
 */
class PropertyFailureAnalyzersTest {

  @TempDir Path dir;

  @Test
  void aTypoStopsTheApplicationAndSuggestsTheKnownProperty() {
    Throwable failure = startupFailure("--agg.window.sise=30s");

    assertThat(StartupFailures.exitCode(failure)).isEqualTo(2);
    FailureAnalysis analysis = new UnknownPropertyFailureAnalyzer().analyze(failure);
    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription()).contains("Property: agg.window.sise").contains("Value: \"30s\"")
        .contains("did you mean agg.window.size?");
  }

  @Test
  void anUnknownPropertyFarFromAnyKnownOneGetsNoSuggestion() {
    FailureAnalysis analysis = new UnknownPropertyFailureAnalyzer().analyze(startupFailure("--agg.colour=blue"));
    assertThat(analysis.getDescription()).contains("Property: agg.colour").contains("no such property")
        .doesNotContain("did you mean");
  }

  @Test
  void constraintViolationsNameThePropertyInKebabCase() {
    Throwable failure = startupFailure("--agg.window.allowed-lateness=-1s", "--agg.kafka.max-out-of-orderness=-2s");

    assertThat(StartupFailures.exitCode(failure)).isEqualTo(2);
    FailureAnalysis analysis = new InvalidPropertyValueFailureAnalyzer().analyze(failure);
    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription())
        .contains("Property: agg.window.allowed-lateness").contains("Value: \"PT-1S\"")
        .contains("Property: agg.kafka.max-out-of-orderness").contains("must not be negative")
        .doesNotContain("allowedLateness");
  }

  @Test
  void theUserSeesTheSuggestionOnStderrAndExitCode2() {
    AppProcess.Result result = AppProcess.run(dir, "--agg.trigger.erly-delay=5s");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("Property: agg.trigger.erly-delay")
        .contains("did you mean agg.trigger.early-delay?");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void everyKnownPropertyIsKebabCase() {
    assertThat(PropertyNames.all()).contains("agg.window.allowed-lateness", "agg.kafka.max-out-of-orderness",
        "agg.runner-args", "agg.output.dead-letter-path").allMatch(name -> name.equals(name.toLowerCase()));
  }

  private static Throwable startupFailure(String... args) {
    return io.windowpane.testing.StartupFailure.of(args);
  }
}
