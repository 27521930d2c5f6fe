package io.windowpane.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Map;

/**
 * Where a field is in an event (SPEC section 14): a dotted path ({@code order.customer.id}) or a JSON Pointer
 * ({@code /order/customer.id}, for names that hold dots). In a CSV row the path as written is the column's name.
 *
 * @param text the path as configured
 */
public record FieldPath(String text) implements Serializable {

  /** The Kafka record's key, read as UTF-8, as a key field. */
  public static final String RECORD_KEY = "@key";
  /** The Kafka record's timestamp as the event time. */
  public static final String RECORD_TIMESTAMP = "@timestamp";

  public FieldPath {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an empty field path");
    }
    text = text.strip();
    if (!text.startsWith("/") && (text.startsWith(".") || text.endsWith(".") || text.contains(".."))) {
      throw new IllegalArgumentException("'" + text + "' has an empty segment (write a name holding dots as a JSON"
          + " Pointer: /a.b)");
    }
    if (text.equals("/")) {
      throw new IllegalArgumentException("'/' names no field");
    }
  }

  /** Whether this is the Kafka record's key ({@code @key}). */
  public boolean isRecordKey() {
    return text.equals(RECORD_KEY);
  }

  /** Whether this is the Kafka record's timestamp ({@code @timestamp}). */
  public boolean isRecordTimestamp() {
    return text.equals(RECORD_TIMESTAMP);
  }

  /**
   * The name of the field in a row: the path's last segment ({@code order.customer.id} -> {@code id}; {@code @key}
   * -> {@code key}).
   */
  public String name() {
    if (text.startsWith("@")) {
      return text.substring(1);
    }
    if (text.startsWith("/")) {
      String last = text.substring(text.lastIndexOf('/') + 1);
      return last.replace("~1", "/").replace("~0", "~");
    }
    return text.substring(text.lastIndexOf('.') + 1);
  }

  /** The value in a JSON object, or null where the path leads nowhere. */
  public JsonNode find(JsonNode object) {
    JsonNode found;
    if (text.startsWith("/")) {
      found = object.at(JsonPointer.compile(text));
    } else {
      found = object;
      int start = 0;
      while (found != null && start <= text.length()) {
        int dot = text.indexOf('.', start);
        int end = dot < 0 ? text.length() : dot;
        found = found.isObject() ? found.get(text.substring(start, end)) : null;
        start = end + 1;
      }
    }
    return found == null || found.isMissingNode() ? null : found;
  }

  /** The value in a CSV row (column name to text), or null where there is no such column. */
  public String find(Map<String, String> columns) {
    return columns.get(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
