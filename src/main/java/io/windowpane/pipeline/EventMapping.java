package io.windowpane.pipeline;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which fields of the user's events the job reads (SPEC section 14): the key it groups by (one or more fields), the
 * event time and how it is written, the value the aggregates read, the aggregates a row holds, which events it
 * takes, and whether files are JSON Lines or CSV. {@link #DEFAULT} is the tutorial's shape ({@code user_id},
 * {@code event_time}, {@code amount}; count and sum), with which every row, dead letter and metric is as in SPEC
 * sections 3-6.
 *
 * @param key the key fields, grouped together
 * @param time the event time's field
 * @param timeFormat how the time is written
 * @param value the numeric field the aggregates other than count read; null where only {@code count} is asked
 * @param aggregates the figures a row holds, in the order asked
 * @param filter which events are aggregated
 * @param inputFormat how files are read
 * @param csvDelimiter the CSV field delimiter
 */
public record EventMapping(List<FieldPath> key, FieldPath time, TimeFormat timeFormat, FieldPath value,
    List<Aggregate> aggregates, FieldFilter filter, InputFormat inputFormat, char csvDelimiter)
    implements Serializable {

  /** How input files are read. */
  public enum InputFormat {
    /** By the file's name: {@code .csv} (also compressed: {@code .csv.gz}, ...) is CSV, anything else JSON Lines. */
    AUTO,
    JSON,
    CSV
  }

  public static final EventMapping DEFAULT = new EventMapping(List.of(new FieldPath("user_id")),
      new FieldPath("event_time"), TimeFormat.AUTO_UTC, new FieldPath("amount"),
      List.of(Aggregate.COUNT, Aggregate.SUM), FieldFilter.NONE, InputFormat.AUTO, ',');

  /** Compressed files are named by their compression after their format: {@code events.csv.gz}. */
  private static final List<String> COMPRESSION_SUFFIXES =
      List.of(".gz", ".gzip", ".bz2", ".zip", ".zst", ".deflate", ".lzo", ".snappy");

  /**
   * @throws IllegalArgumentException for a mapping that cannot work, naming what is wrong (the caller names the
   *     property)
   */
  public EventMapping {
    key = List.copyOf(key);
    aggregates = List.copyOf(aggregates);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("no key field");
    }
    if (aggregates.isEmpty()) {
      throw new IllegalArgumentException("no aggregate");
    }
    if (value == null && aggregates.stream().anyMatch(Aggregate::readsValue)) {
      throw new IllegalArgumentException("no value field for " + aggregates.stream().filter(Aggregate::readsValue)
          .map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
  }

  /** The names of the key fields in a row, in order: each path's last segment. */
  public List<String> keyNames() {
    return key.stream().map(FieldPath::name).toList();
  }

  /** Key fields whose row names clash, as "a and b", or null where none do. */
  public String clashingKeyNames() {
    Set<String> seen = new HashSet<>();
    for (FieldPath path : key) {
      if (!seen.add(path.name())) {
        return key.stream().filter(p -> p.name().equals(path.name())).map(FieldPath::text).toList().toString();
      }
    }
    return null;
  }

  /** The name the value's aggregates are written under ({@code sum_<name>}): the value path's last segment. */
  public String valueName() {
    return value == null ? "" : value.name();
  }

  /** Whether a field is the Kafka record's own key or timestamp: read with the record, not from its value. */
  public boolean readsRecordFields() {
    return time.isRecordTimestamp() || key.stream().anyMatch(FieldPath::isRecordKey);
  }

  /** Whether the events' value is read at all (not for {@code count} alone). */
  public boolean readsValue() {
    return aggregates.stream().anyMatch(Aggregate::readsValue);
  }

  /** Whether the figures keep the least and greatest value ({@code min} or {@code max} asked). */
  public boolean keepsRange() {
    return aggregates.stream().anyMatch(Aggregate::needsRange);
  }

  /** Whether events are read as in the tutorial's shape, with its field names, formats and messages. */
  public boolean readsDefaultShape() {
    return key.equals(DEFAULT.key) && time.equals(DEFAULT.time) && timeFormat.isDefault()
        && DEFAULT.value.equals(value) && filter.isEmpty() && readsValue();
  }

  /** Whether the key and the time are the tutorial's ({@code user_id}, {@code event_time} as ISO or epoch seconds). */
  public boolean readsTutorialKeyAndTime() {
    return key.equals(DEFAULT.key) && time.equals(DEFAULT.time) && timeFormat.isDefault();
  }

  /** Whether a file of this name is CSV. */
  public boolean isCsv(String fileName) {
    return switch (inputFormat) {
      case CSV -> true;
      case JSON -> false;
      case AUTO -> {
        String name = fileName.toLowerCase(java.util.Locale.ROOT);
        for (String suffix : COMPRESSION_SUFFIXES) {
          if (name.endsWith(suffix)) {
            name = name.substring(0, name.length() - suffix.length());
            break;
          }
        }
        yield name.endsWith(".csv");
      }
    };
  }
}
