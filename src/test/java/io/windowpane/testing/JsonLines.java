package io.windowpane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windowpane.pipeline.ResultRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads JSON Lines output back. */
public final class JsonLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  public static List<ResultRow> rows(Path file) {
    try {
      return rows(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<ResultRow> rows(String text) {
    return text.lines().filter(l -> !l.isBlank()).map(JsonLines::row).toList();
  }

  /** One JSON line, such as a dead letter. */
  public static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static ResultRow row(String line) {
    try {
      return JSON.readValue(line, ResultRow.class);
    } catch (IOException e) {
      throw new AssertionError("not a result row: " + line, e);
    }
  }
}
