package io.windowpane.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads events under an {@link EventMapping} (SPEC section 14): from a JSON Lines line, a JSON object (a scenario's
 * event) or a CSV row. Every input path parses through it, so all of them accept and reject the same events, with
 * reasons that name the field's path. The tutorial's shape is read by {@link EventParser}, as always.
 *
 * <p>A key of several fields travels as one text, the fields joined by {@link #KEY_SEPARATOR}; {@link RowFormat}
 * writes them out again, each under its name.
 */
public final class EventReader implements Serializable {

  /** Joins the fields of a key (a control character no key field may hold). */
  public static final char KEY_SEPARATOR = '\u001F';

  /**
   * The event time of a record value read without its record, where the time is the record's timestamp
   * ({@code @timestamp}): whoever has the record takes the time from it ({@code RecordEventTime}).
   */
  public static final long RECORD_TIME_PENDING = Long.MIN_VALUE;

  /**
   * The Kafka record's own key and timestamp, for {@code @key} and {@code @timestamp}.
   *
   * @param key the record key as UTF-8 text, null for a record without one
   * @param timestamp the record's timestamp (epoch millis)
   * @param known false where the value is read without its record (by the Kafka reader's deserializer): the
   *     event's key and time are then provisional, and read again with the record
   */
  public record RecordFields(String key, long timestamp, boolean known) implements Serializable {
    public static final RecordFields UNKNOWN = new RecordFields(null, RECORD_TIME_PENDING, false);
  }

  private static final CsvMapper CSV = CsvMapper.builder().build();

  private final EventMapping mapping;
  /** Reads a JSON line's named fields in one streaming pass; null where a path needs the tree (a JSON Pointer). */
  private final JsonFieldReader fields;
  /** Whether lines are read as the tutorial's shape, by {@link EventParser} (decided once: asked per line). */
  private final boolean tutorialShape;
  private transient ObjectReader csvRows;

  public EventReader(EventMapping mapping) {
    this.mapping = mapping;
    this.tutorialShape = mapping.readsDefaultShape();
    java.util.List<FieldPath> paths = new ArrayList<>();
    mapping.key().stream().filter(p -> !p.isRecordKey()).forEach(paths::add);
    if (!mapping.time().isRecordTimestamp()) {
      paths.add(mapping.time());
    }
    if (mapping.readsValue()) {
      paths.add(mapping.value());
    }
    mapping.filter().conditions().forEach(c -> paths.add(c.path()));
    this.fields = JsonFieldReader.streams(paths) ? new JsonFieldReader(paths) : null;
  }

  public EventMapping mapping() {
    return mapping;
  }

  /** A JSON Lines line: its event, its dead letter's reason, filtered out, or blank. */
  public ParsedLine parseJson(String line) {
    return parseJson(line, RecordFields.UNKNOWN);
  }

  /** A Kafka record's value, with the record's own key and timestamp. */
  public ParsedLine parseJson(String line, RecordFields record) {
    if (tutorialShape) {
      return ParsedLine.of(line);
    }
    if (line == null || EventParser.isBlank(line)) {
      return ParsedLine.of(line);
    }
    try {
      if (fields != null) {
        Map<FieldPath, JsonNode> values = fields.read(line);
        return fromFields(values::get, line, record);
      }
      return fromObject(EventParser.readObject(line), line, record);
    } catch (InvalidEventException e) {
      return ParsedLine.invalid(line, e.getMessage());
    }
  }

  /** An event given as a JSON object ({@code line} is its text, for a dead letter). */
  public ParsedLine fromObject(JsonNode object, String line) {
    return fromObject(object, line, RecordFields.UNKNOWN);
  }

  private ParsedLine fromObject(JsonNode object, String line, RecordFields record) {
    if (tutorialShape) {
      try {
        return ParsedLine.valid(EventParser.fromObject(object), line);
      } catch (InvalidEventException e) {
        return ParsedLine.invalid(line, e.getMessage());
      }
    }
    return fromFields(path -> path.find(object), line, record);
  }

  /** An event from its fields' values ({@code at}: a path's value, null where it is missing). */
  private ParsedLine fromFields(java.util.function.Function<FieldPath, JsonNode> at, String line,
      RecordFields record) {
    try {
      if (!mapping.filter().passes(path -> text(at.apply(path)))) {
        return ParsedLine.filtered(line);
      }
      List<String> key = new ArrayList<>(mapping.key().size());
      for (FieldPath path : mapping.key()) {
        key.add(path.isRecordKey() ? recordKey(record) : keyText(path, at.apply(path)));
      }
      long millis;
      if (mapping.time().isRecordTimestamp()) {
        millis = record.timestamp();
      } else {
        JsonNode time = required(mapping.time(), at.apply(mapping.time()));
        millis = mapping.timeFormat().millis(time, mapping.time().text());
      }
      BigDecimal value = BigDecimal.ZERO;
      if (mapping.readsValue()) {
        value = value(mapping.value(), required(mapping.value(), at.apply(mapping.value())));
      }
      return ParsedLine.valid(new Event(joined(key), null, value, millis), line);
    } catch (InvalidEventException e) {
      return ParsedLine.invalid(line, e.getMessage());
    }
  }

  /**
   * The column names of a CSV file's header line.
   *
   * @throws InvalidEventException where the header cannot be read (its line is a dead letter)
   */
  public List<String> csvHeader(String line) throws InvalidEventException {
    List<String> names = csvFields(line);
    if (names.stream().distinct().count() != names.size()) {
      throw new InvalidEventException("the CSV header names a column twice: " + names);
    }
    return names;
  }

  /** A CSV row under its file's header: its event, its dead letter's reason, filtered out, or blank. */
  public ParsedLine parseCsv(String line, List<String> header) {
    if (line == null || EventParser.isBlank(line)) {
      return ParsedLine.of(line);
    }
    try {
      List<String> fields = csvFields(line);
      if (fields.size() != header.size()) {
        throw new InvalidEventException("the row has " + fields.size() + " fields, the header " + header.size());
      }
      Map<String, String> columns = new HashMap<>(header.size() * 2);
      for (int i = 0; i < header.size(); i++) {
        columns.put(header.get(i), fields.get(i));
      }
      if (!mapping.filter().passes(path -> path.find(columns))) {
        return ParsedLine.filtered(line);
      }
      List<String> key = new ArrayList<>(mapping.key().size());
      for (FieldPath path : mapping.key()) {
        key.add(keyText(path, column(path, columns)));
      }
      String time = column(mapping.time(), columns);
      if (time.isBlank()) {
        throw new InvalidEventException("field " + mapping.time() + " is empty");
      }
      long millis = mapping.timeFormat().millis(time, mapping.time().text());
      BigDecimal value = BigDecimal.ZERO;
      if (mapping.readsValue()) {
        value = decimal(mapping.value(), column(mapping.value(), columns));
      }
      return ParsedLine.valid(new Event(joined(key), null, value, millis), line);
    } catch (InvalidEventException e) {
      return ParsedLine.invalid(line, e.getMessage());
    }
  }

  private List<String> csvFields(String line) throws InvalidEventException {
    if (line.indexOf('\uFFFD') >= 0) {
      throw new InvalidEventException(EventParser.NOT_UTF8);
    }
    if (csvRows == null) {
      csvRows = CSV.readerForListOf(String.class)
          .with(CsvSchema.emptySchema().withColumnSeparator(mapping.csvDelimiter()))
          .with(CsvParser.Feature.WRAP_AS_ARRAY);
    }
    try (MappingIterator<List<String>> rows = csvRows.readValues(line)) {
      if (!rows.hasNext()) {
        throw new InvalidEventException("invalid CSV: no fields");
      }
      List<String> fields = rows.next();
      if (rows.hasNext()) {
        throw new InvalidEventException("invalid CSV: more than one row on the line");
      }
      return fields;
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      if (message.contains("EOF") || message.toLowerCase(java.util.Locale.ROOT).contains("quote")) {
        throw new InvalidEventException("invalid CSV: a quoted field is not closed on its line (fields may not span"
            + " lines)");
      }
      throw new InvalidEventException("invalid CSV: " + message);
    }
  }

  private static String column(FieldPath path, Map<String, String> columns) throws InvalidEventException {
    String text = path.find(columns);
    if (text == null) {
      throw new InvalidEventException("missing field " + path + " (the header has no such column)");
    }
    return text;
  }

  private static JsonNode required(FieldPath path, JsonNode value) throws InvalidEventException {
    if (value == null) {
      throw new InvalidEventException("missing field " + path);
    }
    if (value.isNull()) {
      throw new InvalidEventException("field " + path + " is null");
    }
    return value;
  }

  /** A key field's text, whatever its JSON type ({@code 132} -> {@code "132"}). */
  private static String keyText(FieldPath path, JsonNode value) throws InvalidEventException {
    required(path, value);
    if (!value.isValueNode()) {
      throw new InvalidEventException("field " + path + " must be a text, number or boolean, got "
          + EventParser.describe(value));
    }
    return keyText(path, value.asText());
  }

  private static String keyText(FieldPath path, String text) throws InvalidEventException {
    if (text.isBlank()) {
      throw new InvalidEventException("field " + path + " is blank");
    }
    if (text.indexOf(KEY_SEPARATOR) >= 0) {
      throw new InvalidEventException("field " + path + " holds the control character U+001F");
    }
    return text;
  }

  /** The record's key as a key field; provisional where the record is not known yet. */
  private static String recordKey(RecordFields record) throws InvalidEventException {
    if (!record.known()) {
      return "?";
    }
    if (record.key() == null) {
      throw new InvalidEventException("the record has no key (agg.event.key names @key)");
    }
    return keyText(new FieldPath(FieldPath.RECORD_KEY), record.key());
  }

  private static String joined(List<String> key) {
    return key.size() == 1 ? key.get(0) : String.join(String.valueOf(KEY_SEPARATOR), key);
  }

  /** A value: a JSON number, or text holding a decimal ({@code "12.30"}). */
  private static BigDecimal value(FieldPath path, JsonNode value) throws InvalidEventException {
    if (value.isNumber()) {
      return EventParser.exact(value.decimalValue(), path.text(), value.asText());
    }
    if (value.isTextual()) {
      return decimal(path, value.asText());
    }
    throw new InvalidEventException("field " + path + " must be a number, got " + EventParser.describe(value));
  }

  private static BigDecimal decimal(FieldPath path, String text) throws InvalidEventException {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidEventException("field " + path + " is empty");
    }
    try {
      return EventParser.exact(new BigDecimal(trimmed), path.text(), trimmed);
    } catch (NumberFormatException e) {
      throw new InvalidEventException("field " + path + " '" + (trimmed.length() <= 40 ? trimmed
          : trimmed.substring(0, 40) + "...") + "' is not a number");
    }
  }

  /** A field's text for the filter: a JSON value's text, a container's JSON, null where it is missing or null. */
  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
