package io.windowpane.config;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/** A value that binds but breaks a constraint (a window size of 0, a negative lateness). */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InvalidPropertyValueFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
    if (!cause.getValidationErrors().getName().toString().equals(PropertyNames.PREFIX)) {
      return null;
    }
    StringBuilder description = new StringBuilder("Invalid configuration:\n");
    for (ObjectError error : cause.getValidationErrors()) {
      if (error instanceof FieldError field) {
        description.append("\n    Property: ").append(PropertyNames.ofField(field.getField()))
            .append("\n    Value: \"").append(field.getRejectedValue()).append('"');
        origin(field).ifPresent(o -> description.append("\n    Origin: ").append(o));
        description.append("\n    Reason: ").append(field.getDefaultMessage()).append('\n');
      } else {
        description.append("\n    ").append(error.getDefaultMessage()).append('\n');
      }
    }
    return new FailureAnalysis(description.toString(), PropertyNames.ACTION, cause);
  }

  private static java.util.Optional<String> origin(FieldError field) {
    Origin origin = Origin.from(field);
    return origin == null ? java.util.Optional.empty() : java.util.Optional.of(origin.toString());
  }
}
