package io.windowpane.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * How a {@link ResultRow} is written as one JSON line (SPEC sections 5 and 14): each key field under its name, its
 * value as a JSON string; then each aggregate asked ({@code count}, {@code sum_<v>}, {@code min_<v>},
 * {@code max_<v>}, {@code mean_<v>}); then the window and pane fields. With the tutorial's mapping that is exactly
 * {@code user_id, count, sum_amount, window_start, ...}.
 */
public final class RowFormat implements Serializable {

  /** Decimal places of a mean: sum / count, rounded half-even (SPEC section 14). */
  static final int MEAN_DECIMALS = 18;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private final List<String> keyNames;
  private final List<Aggregate> aggregates;
  private final String valueName;

  public RowFormat(EventMapping mapping) {
    this.keyNames = List.copyOf(mapping.keyNames());
    this.aggregates = List.copyOf(mapping.aggregates());
    this.valueName = mapping.valueName();
  }

  /** The row's JSON line. */
  public String toJson(ResultRow row) {
    StringWriter text = new StringWriter(160);
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      List<String> key = keyFields(row.key());
      for (int i = 0; i < keyNames.size(); i++) {
        json.writeStringField(keyNames.get(i), key.get(i));
      }
      for (Aggregate aggregate : aggregates) {
        String name = aggregate.fieldName(valueName);
        switch (aggregate) {
          case COUNT -> json.writeNumberField(name, row.count());
          case SUM -> json.writeNumberField(name, row.sumAmount());
          case MIN -> json.writeNumberField(name, row.min());
          case MAX -> json.writeNumberField(name, row.max());
          case MEAN -> json.writeNumberField(name, mean(row.sumAmount(), row.count()));
        }
      }
      json.writeStringField("window_start", row.windowStart());
      json.writeStringField("window_end", row.windowEnd());
      json.writeStringField("pane_timing", row.paneTiming());
      json.writeNumberField("pane_index", row.paneIndex());
      json.writeBooleanField("pane_is_first", row.paneIsFirst());
      json.writeBooleanField("pane_is_last", row.paneIsLast());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** The Kafka record key of a row: its key fields, joined by {@code /} where there are several. */
  public String recordKey(ResultRow row) {
    return String.join("/", keyFields(row.key()));
  }

  /**
   * How the pane diagram names a key: {@code user u1} in the tutorial's shape, else each key field with its name
   * ({@code country=DE, id=c7}).
   */
  public String keyLabel(String key) {
    return keyNames.equals(List.of("user_id")) ? "user " + key : keyText(key);
  }

  /** A key as text: itself in the tutorial's shape, else each key field with its name ({@code country=DE, id=c7}). */
  public String keyText(String key) {
    if (keyNames.equals(List.of("user_id"))) {
      return key;
    }
    List<String> fields = keyFields(key);
    StringBuilder label = new StringBuilder();
    for (int i = 0; i < keyNames.size(); i++) {
      label.append(i == 0 ? "" : ", ").append(keyNames.get(i)).append('=').append(i < fields.size() ? fields.get(i)
          : "");
    }
    return label.toString();
  }

  /** The rows as one JSON array, each as {@link #toJson} writes it. */
  public String toJsonArray(List<ResultRow> rows) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < rows.size(); i++) {
      json.append(i == 0 ? "" : ",").append(toJson(rows.get(i)));
    }
    return json.append(']').toString();
  }

  /** A row's key, its fields apart. */
  public List<String> keyFields(String key) {
    if (keyNames.size() == 1) {
      return List.of(key);
    }
    return List.of(key.split(String.valueOf(EventReader.KEY_SEPARATOR), -1));
  }

  /**
   * sum / count, rounded half-even to {@link #MEAN_DECIMALS} places, trailing zeros stripped, with at least one
   * decimal place ({@code 12.3}, {@code 12.0}); null for an empty pane.
   */
  static BigDecimal mean(BigDecimal sum, long count) {
    if (count == 0 || sum == null) {
      return null;
    }
    BigDecimal mean = sum.divide(BigDecimal.valueOf(count), MEAN_DECIMALS, RoundingMode.HALF_EVEN)
        .stripTrailingZeros();
    return mean.scale() < 1 ? mean.setScale(1) : mean;
  }
}
