package io.windowpane.source;

import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.pipeline.Aggregate;
import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.FieldFilter;
import io.windowpane.pipeline.FieldPath;
import io.windowpane.pipeline.TimeFormat;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job's {@link EventMapping}, from {@code agg.event.*}, {@code agg.aggregates} and {@code agg.input.*} (SPEC
 * section 14). A mapping that cannot work stops the application at startup (exit code 2), naming the property and
 * the problem.
 */
@Configuration(proxyBeanMethods = false)
class EventMappingConfiguration {

  /** Kafka's record key and timestamp: fields of a record, not of its value. */
  private static final Set<String> RECORD_FIELDS = Set.of(FieldPath.RECORD_KEY, FieldPath.RECORD_TIMESTAMP);

  @Bean
  EventMapping eventMapping(AggProperties properties) {
    AggProperties.EventShape event = properties.event();
    List<Aggregate> aggregates = aggregates(properties.aggregates());
    FieldPath value = value(event.value());
    if (value == null && aggregates.stream().anyMatch(Aggregate::readsValue)) {
      throw new InvalidJobSpecException("agg.event.value", "", "is empty, but agg.aggregates "
          + String.join(",", properties.aggregates()) + " reads a value: name the numeric field, or ask for count"
          + " alone");
    }
    boolean kafka = properties.mode() == AggProperties.Mode.STREAM
        && properties.stream().source() == AggProperties.StreamSource.KAFKA;
    EventMapping mapping = new EventMapping(key(event.key(), kafka), time(event.time(), kafka),
        timeFormat(event.timeFormat(), event.timeZone()), value, aggregates, filter(event.filter()),
        inputFormat(properties.input().format()), delimiter(properties.input().csv()));
    String clash = mapping.clashingKeyNames();
    if (clash != null) {
      throw new InvalidJobSpecException("agg.event.key", String.join(",", event.key()), "the fields " + clash
          + " would have the same name in a row (the path's last segment): key fields need different names");
    }
    return mapping;
  }

  private static List<FieldPath> key(List<String> written, boolean kafka) {
    List<FieldPath> paths = new ArrayList<>();
    for (String path : written) {
      if (path == null || path.isBlank()) {
        continue;
      }
      paths.add(path("agg.event.key", String.join(",", written), path, kafka ? FieldPath.RECORD_KEY : null));
    }
    if (paths.isEmpty()) {
      throw new InvalidJobSpecException("agg.event.key", String.join(",", written), "names no field: give one or"
          + " more field paths, comma-separated (user_id, or order.customer.country,order.customer.id)");
    }
    return paths;
  }

  private static FieldPath time(String written, boolean kafka) {
    if (written == null || written.isBlank()) {
      throw new InvalidJobSpecException("agg.event.time", "", "names no field: give the event time's field path");
    }
    return path("agg.event.time", written, written, kafka ? FieldPath.RECORD_TIMESTAMP : null);
  }

  private static FieldPath value(String written) {
    return written == null || written.isBlank() ? null : path("agg.event.value", written, written, null);
  }

  /** @param recordField the record field this property may name ({@code @key}, {@code @timestamp}), or null */
  private static FieldPath path(String property, String value, String path, String recordField) {
    String stripped = path.strip();
    if (RECORD_FIELDS.contains(stripped) && !stripped.equals(recordField)) {
      throw new InvalidJobSpecException(property, value, recordField == null && !property.equals("agg.event.value")
          ? stripped + " is a Kafka record's own key or timestamp: only a Kafka input (agg.stream.source=kafka) has"
              + " them"
          : stripped + " cannot be used here: @key is for agg.event.key, @timestamp for agg.event.time (with a Kafka"
              + " input)");
    }
    try {
      return new FieldPath(path);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobSpecException(property, value, "is no field path: " + e.getMessage());
    }
  }

  private static TimeFormat timeFormat(String format, String zone) {
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone == null ? "" : zone.strip());
    } catch (DateTimeException e) {
      throw new InvalidJobSpecException("agg.event.time-zone", zone, "is no time zone (" + e.getMessage()
          + "): use a region such as America/New_York, or an offset such as +02:00");
    }
    try {
      return new TimeFormat(format, zoneId);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobSpecException("agg.event.time-format", format, e.getMessage());
    }
  }

  private static List<Aggregate> aggregates(List<String> written) {
    Set<Aggregate> aggregates = new LinkedHashSet<>();
    for (String name : written) {
      if (name == null || name.isBlank()) {
        continue;
      }
      try {
        aggregates.add(Aggregate.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidJobSpecException("agg.aggregates", String.join(",", written), "'" + name.strip()
            + "' is no aggregate: use any of count, sum, min, max, mean");
      }
    }
    if (aggregates.isEmpty()) {
      throw new InvalidJobSpecException("agg.aggregates", "", "names no aggregate: use any of count, sum, min, max,"
          + " mean");
    }
    return List.copyOf(aggregates);
  }

  private static FieldFilter filter(List<String> written) {
    try {
      return FieldFilter.parse(written);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobSpecException("agg.event.filter", String.join(",", written), e.getMessage());
    }
  }

  private static EventMapping.InputFormat inputFormat(AggProperties.InputFormat format) {
    return EventMapping.InputFormat.valueOf(format.name());
  }

  private static char delimiter(AggProperties.Csv csv) {
    String delimiter = csv.delimiter();
    if (delimiter == null || delimiter.length() != 1 || delimiter.charAt(0) == '"' || delimiter.charAt(0) == '\n'
        || delimiter.charAt(0) == '\r') {
      throw new InvalidJobSpecException("agg.input.csv.delimiter", String.valueOf(delimiter), "must be one"
          + " character other than a quote or a line break (for a tab: --agg.input.csv.delimiter=$'\\t')");
    }
    return delimiter.charAt(0);
  }
}
