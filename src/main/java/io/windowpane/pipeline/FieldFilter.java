package io.windowpane.pipeline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which events the job aggregates (SPEC section 14, {@code agg.event.filter}): conditions that must all hold, each
 * {@code PATH=A|B} (the field's text is one of the values) or {@code PATH!=A|B} (none of them; a missing field counts
 * as not equal). An event that fails is skipped and counted, never a dead letter.
 *
 * @param conditions all of which must hold; none: every event passes
 */
public record FieldFilter(List<Condition> conditions) implements Serializable {

  public static final FieldFilter NONE = new FieldFilter(List.of());

  public FieldFilter {
    conditions = List.copyOf(conditions);
  }

  /**
   * One condition.
   *
   * @param path the field
   * @param values the texts it is compared with
   * @param equal {@code =} (one of them) or {@code !=} (none of them)
   */
  public record Condition(FieldPath path, Set<String> values, boolean equal) implements Serializable {

    public Condition {
      values = Set.copyOf(values);
    }

    boolean holds(String text) {
      return equal ? text != null && values.contains(text) : text == null || !values.contains(text);
    }

    @Override
    public String toString() {
      return path + (equal ? "=" : "!=") + String.join("|", values.stream().sorted().toList());
    }
  }

  /**
   * The conditions as written, one per entry ({@code type=buy}, {@code country!=DE|AT}).
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  public static FieldFilter parse(List<String> written) {
    List<Condition> conditions = new ArrayList<>();
    for (String entry : written) {
      if (entry == null || entry.isBlank()) {
        continue;
      }
      int at = entry.indexOf('=');
      if (at < 0) {
        throw new IllegalArgumentException("'" + entry + "' has no '=': write PATH=A|B or PATH!=A|B");
      }
      boolean equal = at == 0 || entry.charAt(at - 1) != '!';
      String path = entry.substring(0, equal ? at : at - 1);
      if (path.isBlank()) {
        throw new IllegalArgumentException("'" + entry + "' names no field before '" + (equal ? "=" : "!=") + "'");
      }
      List<String> values = Arrays.asList(entry.substring(at + 1).split("\\|", -1));
      conditions.add(new Condition(new FieldPath(path), Set.copyOf(values), equal));
    }
    return new FieldFilter(conditions);
  }

  /** Whether an event passes, given how to read a field's text (null where it is missing). */
  public boolean passes(Function<FieldPath, String> text) {
    for (Condition condition : conditions) {
      if (!condition.holds(text.apply(condition.path()))) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return conditions.isEmpty();
  }
}
