package io.windowpane.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidJobSpecException} into Spring Boot's short "APPLICATION FAILED TO START" report. */
public class InvalidJobSpecFailureAnalyzer extends AbstractFailureAnalyzer<InvalidJobSpecException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidJobSpecException cause) {
    String description =
        "Invalid configuration:\n\n    Property: "
            + cause.property()
            + "\n    Value: \""
            + cause.value()
            + "\"\n    Reason: "
            + cause.problem();
    return new FailureAnalysis(
        description,
        "Fix " + cause.property() + " in config/application.yml or on the command line (--" + cause.property()
            + "=...). See the configuration table in README.md.",
        cause);
  }
}
