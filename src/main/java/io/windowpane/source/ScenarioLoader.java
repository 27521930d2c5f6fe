package io.windowpane.source;

import io.windowpane.pipeline.EventReader;
import io.windowpane.pipeline.ParsedLine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.EventParser;
import io.windowpane.pipeline.InvalidEventException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads and validates a YAML stream scenario (SPEC section 4). Every problem is reported with the step number and
 * what is wrong, as an {@link InvalidJobSpecException} on {@code agg.stream.scenario}: a bad scenario stops the
 * application at startup.
 */
public final class ScenarioLoader {

  static final String PROPERTY = "agg.stream.scenario";

  private static final Set<String> TOP_LEVEL_KEYS = Set.of("base-time", "steps", "description");
  private static final Set<String> ELEMENT_KEYS = Set.of("user_id", "event_type", "amount", "t");

  /** Generated scenarios get large: lift SnakeYAML's default 3 MB document limit. */
  private static final int MAX_SCENARIO_CODE_POINTS = 256 * 1024 * 1024;

  private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .loaderOptions(loaderOptions())
      .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_SCENARIO_CODE_POINTS);
    return options;
  }

  private ScenarioLoader() {}

  /** Loads the scenario at a file path or {@code classpath:} location. */
  public static Scenario load(String location) {
    return load(location, null);
  }

  /**
   * A scenario whose events are in the user's own shape (SPEC section 14): each element is an event as the job's
   * mapping reads it, its time included (no {@code t}).
   *
   * @param reader the job's event mapping; null for the tutorial's shape, with times as {@code t}
   */
  public static Scenario load(String location, EventReader reader) {
    String text = Inputs.readText(PROPERTY, location);
    return parse(location, text, reader);
  }

  static Scenario parse(String location, String yaml) {
    return parse(location, yaml, null);
  }

  static Scenario parse(String location, String yaml, EventReader reader) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw invalid(location, "not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
    }
    if (root == null || !root.isObject()) {
      throw invalid(location, "must be a YAML mapping with 'base-time' and 'steps'");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!TOP_LEVEL_KEYS.contains(key)) {
        throw invalid(location, "unknown key '" + key + "' (expected base-time, steps)");
      }
    }
    Instant baseTime = baseTime(location, root.get("base-time"));
    JsonNode stepsNode = root.get("steps");
    if (stepsNode == null || !stepsNode.isArray() || stepsNode.isEmpty()) {
      throw invalid(location, "'steps' must be a non-empty list");
    }

    List<Scenario.Step> steps = new ArrayList<>();
    long watermark = Long.MIN_VALUE;
    boolean ended = false;
    for (int i = 0; i < stepsNode.size(); i++) {
      int number = i + 1;
      JsonNode step = stepsNode.get(i);
      if (ended) {
        throw invalidStep(location, number, "comes after 'watermark: end', which ends the stream");
      }
      if (!step.isObject() || step.size() != 1) {
        throw invalidStep(location, number, "must be exactly one of watermark, add, processing-time");
      }
      Map.Entry<String, JsonNode> only = step.fields().next();
      String kind = only.getKey();
      JsonNode value = only.getValue();
      switch (kind) {
        case "watermark" -> {
          if (value.isTextual() && value.asText().equals("end")) {
            steps.add(new Scenario.AdvanceWatermark(number, Long.MAX_VALUE, true));
            ended = true;
          } else {
            long to = absoluteMillis(location, number, kind, baseTime, value);
            if (to < watermark) {
              throw invalidStep(location, number, "(watermark) goes backwards: to "
                  + value.asText() + " s, but it is already at " + seconds(watermark - baseTime.toEpochMilli())
                  + " s");
            }
            watermark = to;
            steps.add(new Scenario.AdvanceWatermark(number, to, false));
          }
        }
        case "processing-time" -> {
          BigDecimal secs = number(location, number, kind, value);
          if (secs.signum() <= 0) {
            throw invalidStep(location, number, "(processing-time) must advance by more than 0 s, got "
                + value.asText());
          }
          steps.add(new Scenario.AdvanceProcessingTime(number, toMillis(secs)));
        }
        case "add" -> steps.add(new Scenario.AddElements(number, reader == null
            ? elements(location, number, baseTime, value) : mappedElements(location, number, baseTime, value, reader)));
        default -> throw invalidStep(location, number, "unknown key '" + kind
            + "' (expected watermark, add or processing-time)");
      }
    }
    return new Scenario(location, baseTime, steps);
  }

  /** Events in the user's shape, each read under the mapping as the pipeline will read it. */
  private static List<Scenario.TimedLine> mappedElements(String location, int number, Instant baseTime,
      JsonNode value, EventReader reader) {
    List<Scenario.TimedLine> lines = new ArrayList<>();
    for (JsonNode element : elementObjects(location, number, value, "a mapping: an event in the shape agg.event.* names")) {
      String line = element.toString();
      ParsedLine parsed = reader.fromObject(element, line);
      if (parsed.invalidReason() != null) {
        throw invalidStep(location, number, where(lines.size()) + parsed.invalidReason());
      }
      // an event the filter skips never reaches a window: its place in the script is the base time
      lines.add(new Scenario.TimedLine(line,
          parsed.event() != null ? parsed.event().eventTimeMillis() : baseTime.toEpochMilli()));
    }
    return lines;
  }

  /** An add step's elements, each a mapping ({@code shape}: what one must be, for the error). */
  private static List<JsonNode> elementObjects(String location, int number, JsonNode value, String shape) {
    if (!value.isArray() || value.isEmpty()) {
      throw invalidStep(location, number, "(add) must be a non-empty list of elements");
    }
    List<JsonNode> elements = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isObject()) {
        throw invalidStep(location, number, where(elements.size()) + "must be " + shape);
      }
      elements.add(element);
    }
    return elements;
  }

  private static String where(int index) {
    return "(add) element " + (index + 1) + ": ";
  }

  private static List<Scenario.TimedLine> elements(String location, int number, Instant baseTime, JsonNode value) {
    List<Scenario.TimedLine> lines = new ArrayList<>();
    for (JsonNode element : elementObjects(location, number, value, "a mapping like {user_id: u1, amount: 20, t: 5}")) {
      String where = where(lines.size());
      for (Iterator<String> keys = element.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!ELEMENT_KEYS.contains(key)) {
          throw invalidStep(location, number, where + "unknown key '" + key
              + "' (expected user_id, event_type, amount, t)");
        }
      }
      if (element.get("t") == null) {
        throw invalidStep(location, number, where + "t (event time, seconds after base-time) is missing");
      }
      long eventTime = absoluteMillis(location, number, "add", baseTime, element.get("t"));
      ObjectNode line = element.deepCopy();
      line.remove("t");
      line.put("event_time", Instant.ofEpochMilli(eventTime).toString());
      Event event;
      try {
        event = EventParser.fromObject(line);
      } catch (InvalidEventException ex) {
        throw invalidStep(location, number, where + ex.getMessage());
      }
      lines.add(new Scenario.TimedLine(line.toString(), event.eventTimeMillis()));
    }
    return lines;
  }

  private static Instant baseTime(String location, JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw invalid(location, "'base-time' is missing (an ISO-8601 instant such as 2026-01-08T10:00:00Z)");
    }
    try {
      return Instant.parse(node.asText());
    } catch (DateTimeException e) {
      throw invalid(location, "'base-time' " + node.asText()
          + " is not an ISO-8601 instant such as 2026-01-08T10:00:00Z");
    }
  }

  private static long absoluteMillis(String location, int number, String kind, Instant base, JsonNode value) {
    long offset = toMillis(number(location, number, kind, value));
    long millis;
    try {
      millis = Math.addExact(base.toEpochMilli(), offset);
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE;
    }
    if (millis < EventParser.minEventTimeMillis() || millis > EventParser.maxEventTimeMillis()) {
      throw invalidStep(location, number, "(" + kind + ") time " + value.asText()
          + " s is outside the range Beam supports");
    }
    return millis;
  }

  private static BigDecimal number(String location, int number, String kind, JsonNode value) {
    if (value == null || !value.isNumber()) {
      throw invalidStep(location, number, "(" + kind + ") expects a number of seconds"
          + ("watermark".equals(kind) ? " or 'end'" : "") + ", got " + (value == null ? "nothing" : value.toString()));
    }
    return value.decimalValue();
  }

  private static long toMillis(BigDecimal seconds) {
    try {
      return seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
    } catch (ArithmeticException e) {
      return seconds.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
  }

  private static String seconds(long millis) {
    return BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  private static InvalidJobSpecException invalid(String location, String problem) {
    return new InvalidJobSpecException(PROPERTY, location, "scenario " + problem);
  }

  private static InvalidJobSpecException invalidStep(String location, int number, String problem) {
    return new InvalidJobSpecException(PROPERTY, location, "scenario step " + number + " " + problem);
  }
}
