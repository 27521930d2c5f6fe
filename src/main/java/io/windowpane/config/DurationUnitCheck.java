package io.windowpane.config;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses an {@code agg.*} duration written without a unit ({@code --agg.window.size=30}) at startup: Spring would
 * bind it as milliseconds, which nobody who writes 30 means. The README states the forms: {@code 500ms}, {@code 30s},
 * {@code 2m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT1M}).
 */
@Component
class DurationUnitCheck {

  static final String FORMS = "500ms, 30s, 2m, 1h, 1d, or ISO-8601 such as PT1M";

  DurationUnitCheck(Environment environment) {
    for (String property : PropertyNames.durations()) {
      String value = environment.getProperty(property);
      if (value != null && value.strip().matches("[-+]?\\d+")) {
        throw new InvalidJobSpecException(property, value, "has no unit (Spring would read it as milliseconds):"
            + " write " + FORMS);
      }
    }
  }
}
