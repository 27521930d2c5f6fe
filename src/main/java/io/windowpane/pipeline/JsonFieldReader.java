package io.windowpane.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads only the named fields of a JSON object line, in one streaming pass (SPEC section 14): the values at the
 * mapping's dotted paths are read into small nodes, everything else is skipped token by token, not built into a
 * tree. The line is checked as a whole all the same: valid JSON, one object, no duplicate field names (with the
 * reasons {@link EventParser#readObject} gives).
 */
final class JsonFieldReader implements Serializable {

  /** One level of the wanted paths: the path that ends here (if any) and the names below. */
  private static final class Level implements Serializable {
    final Map<String, Level> below = new HashMap<>();
    final List<FieldPath> ending = new ArrayList<>(1);
  }

  private final Level root = new Level();

  /** @param paths dotted paths only (a JSON Pointer may step into arrays: read from the tree instead) */
  JsonFieldReader(Collection<FieldPath> paths) {
    for (FieldPath path : paths) {
      Level level = root;
      for (String segment : path.text().split("\\.", -1)) {
        level = level.below.computeIfAbsent(segment, s -> new Level());
      }
      level.ending.add(path);
    }
  }

  /** Whether the paths can be read this way: all dotted (JSON Pointers are not). */
  static boolean streams(Collection<FieldPath> paths) {
    return paths.stream().noneMatch(p -> p.text().startsWith("/"));
  }

  /** The value at each wanted path that the line has (absent: missing). */
  Map<FieldPath, JsonNode> read(String line) throws InvalidEventException {
    return EventParser.readLine(line, parser -> {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        EventParser.readObject(line); // throws with the reason for what the line is instead
        throw new InvalidEventException("invalid JSON: no object");
      }
      Map<FieldPath, JsonNode> found = new HashMap<>();
      readObject(parser, root, found);
      return found;
    });
  }

  /** The parser is at an object's start; reads it to its end. */
  private static void readObject(JsonParser parser, Level level, Map<FieldPath, JsonNode> found)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      Level next = level.below.get(parser.currentName());
      JsonToken value = parser.nextToken();
      if (next == null) {
        parser.skipChildren();
      } else if (!next.ending.isEmpty()) {
        // wanted here (and maybe below too): this value as a node, the deeper paths found in it
        JsonNode node = value(parser, value);
        next.ending.forEach(path -> found.put(path, node));
        collect(node, next, found);
      } else if (value == JsonToken.START_OBJECT) {
        readObject(parser, next, found);
      } else {
        parser.skipChildren();
      }
    }
  }

  /**
   * The value the parser is at, as the node the tree would hold (exact decimals, as {@link EventParser#MAPPER} reads
   * them): a scalar directly, a container through the mapper (reading a node through the mapper costs a context per
   * call, which per field and line showed).
   */
  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> TextNode.valueOf(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> IntNode.valueOf(parser.getIntValue());
        case LONG -> LongNode.valueOf(parser.getLongValue());
        default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> DecimalNode.valueOf(parser.getDecimalValue());
      case VALUE_TRUE -> BooleanNode.TRUE;
      case VALUE_FALSE -> BooleanNode.FALSE;
      case VALUE_NULL -> NullNode.getInstance();
      default -> EventParser.MAPPER.readTree(parser);
    };
  }

  /** The deeper wanted paths inside a node read whole. */
  private static void collect(JsonNode node, Level level, Map<FieldPath, JsonNode> found) {
    level.below.forEach((name, next) -> {
      JsonNode child = node.isObject() ? node.get(name) : null;
      if (child != null) {
        next.ending.forEach(path -> found.put(path, child));
        collect(child, next, found);
      }
    });
  }
}
