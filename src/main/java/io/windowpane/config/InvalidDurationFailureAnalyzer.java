package io.windowpane.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** An {@code agg.*} duration that does not parse ({@code 1min}): the forms that do, instead of Spring's message. */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InvalidDurationFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
    if (cause.getProperty() == null || !cause.getName().toString().startsWith(PropertyNames.PREFIX + ".")
        || cause.getTarget().getType().resolve() != Duration.class) {
      return null;
    }
    StringBuilder description = new StringBuilder("Invalid configuration:\n")
        .append("\n    Property: ").append(cause.getName())
        .append("\n    Value: \"").append(cause.getProperty().getValue()).append('"');
    if (cause.getProperty().getOrigin() != null) {
      description.append("\n    Origin: ").append(cause.getProperty().getOrigin());
    }
    description.append("\n    Reason: is no duration: write ").append(DurationUnitCheck.FORMS).append('\n');
    return new FailureAnalysis(description.toString(), PropertyNames.ACTION, cause);
  }
}
