package io.windowpane.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * The {@code agg.*} property names as users write them (kebab-case), derived from {@link AggProperties} itself so
 * that error messages and suggestions can never drift from what binds.
 */
final class PropertyNames {

  static final String PREFIX = "agg";

  /** What to do about a rejected property. */
  static final String ACTION =
      "Fix the property in config/application.yml or on the command line. See the configuration table in README.md.";

  private PropertyNames() {}

  /** Every leaf property, e.g. {@code agg.window.allowed-lateness}. */
  static List<String> all() {
    List<String> names = new ArrayList<>();
    collect(AggProperties.class, PREFIX, names);
    return names;
  }

  /** Every leaf property that binds a {@link java.time.Duration}, e.g. {@code agg.window.size}. */
  static List<String> durations() {
    List<String> names = new ArrayList<>();
    collectDurations(AggProperties.class, PREFIX, names);
    return names;
  }

  private static void collectDurations(Class<?> type, String prefix, List<String> names) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
      if (component.getType().isRecord()) {
        collectDurations(component.getType(), name, names);
      } else if (component.getType() == java.time.Duration.class) {
        names.add(name);
      }
    }
  }

  /** {@code window.allowedLateness} (a validation field path) as {@code agg.window.allowed-lateness}. */
  static String ofField(String fieldPath) {
    StringBuilder name = new StringBuilder(PREFIX);
    for (String part : fieldPath.split("\\.")) {
      name.append('.').append(DataObjectPropertyName.toDashedForm(part));
    }
    return name.toString();
  }

  /** The known property closest to a misspelt one, if one is close enough to be what was meant. */
  static Optional<String> closest(String unknown) {
    String wanted = unknown.replaceAll("\\[\\d+]$", "");
    return all().stream()
        .min(Comparator.comparingInt(known -> distance(known, wanted)))
        .filter(known -> distance(known, wanted) <= Math.max(2, wanted.length() / 4));
  }

  private static void collect(Class<?> type, String prefix, List<String> names) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
      if (component.getType().isRecord()) {
        collect(component.getType(), name, names);
      } else {
        names.add(name);
      }
    }
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
