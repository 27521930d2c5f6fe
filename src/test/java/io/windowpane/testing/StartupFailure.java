package io.windowpane.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.windowpane.WindowpaneApplication;
import io.windowpane.config.InvalidJobSpecFailureAnalyzer;
import io.windowpane.config.StartupFailures;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The application started in this JVM with arguments that must stop it at startup (SPEC section 8, exit code 2). */
public final class StartupFailure {

  private StartupFailure() {}

  /** Why the application did not start; fails the test if it did. */
  public static Throwable of(String... args) {
    Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(WindowpaneApplication.class)
        .web(WebApplicationType.NONE).run(args).close());
    assertThat(failure).as("a startup failure").isNotNull();
    return failure;
  }

  /**
   * The application refuses the arguments with exit code 2 and a failure analysis that names the property and the
   * problem; returns the analysis for more checks.
   */
  public static FailureAnalysis assertRefused(String[] args, String property, String problem) {
    Throwable failure = of(args);
    assertThat(StartupFailures.exitCode(failure)).isEqualTo(2);
    FailureAnalysis analysis = new InvalidJobSpecFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("failure analysis of " + failure).isNotNull();
    assertThat(analysis.getDescription()).contains("Property: " + property).contains(problem);
    return analysis;
  }
}
