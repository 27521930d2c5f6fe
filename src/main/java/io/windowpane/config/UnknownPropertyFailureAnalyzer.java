package io.windowpane.config;

import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** An {@code agg.*} property that nothing binds to: a typo, or a property of another version. */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
    String properties = cause.getUnboundProperties().stream()
        .map(UnknownPropertyFailureAnalyzer::describe)
        .collect(Collectors.joining("\n"));
    return new FailureAnalysis("Unknown configuration property:\n" + properties,
        "Remove or correct it: windowpane stops on properties it does not know rather than ignore them."
            + " See the configuration table in README.md.", cause);
  }

  private static String describe(ConfigurationProperty property) {
    String name = property.getName().toString();
    StringBuilder text = new StringBuilder("\n    Property: ").append(name)
        .append("\n    Value: \"").append(property.getValue()).append('"');
    if (property.getOrigin() != null) {
      text.append("\n    Origin: ").append(property.getOrigin());
    }
    text.append("\n    Reason: no such property");
    PropertyNames.closest(name).ifPresent(known -> text.append("; did you mean ").append(known).append('?'));
    return text.append('\n').toString();
  }
}
