package io.windowpane.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/**
 * Parses and validates one JSON Lines event (SPEC section 3). Plain Java, no Beam state: used by the pipeline's
 * {@link ParseEvents} step and by the scenario loader, so both accept exactly the same events.
 */
public final class EventParser {

  /** Earliest event time Beam can window. */
  static final long MIN_EVENT_TIME_MILLIS = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();

  /**
   * Latest event time accepted: one day before the end of Beam's global window, so that any window holding the
   * event still ends inside Beam's timestamp range.
   */
  static final long MAX_EVENT_TIME_MILLIS = GlobalWindow.INSTANCE.maxTimestamp().getMillis() - 86_400_000L;

  /** Decimal places an amount may have: sums are exact to this precision (SPEC section 5). */
  public static final int MAX_AMOUNT_DECIMALS = 18;
  /** Digits an amount may have in all (as SQL's DECIMAL(38, 18)). */
  public static final int MAX_AMOUNT_DIGITS = 38;

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // Exact decimals: amounts are summed exactly, and fractional epoch seconds must not lose milliseconds to
          // binary floating point.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)) // 20.0 stays 20.0 (by default: 20)
          .build();

  private EventParser() {}

  public static long minEventTimeMillis() {
    return MIN_EVENT_TIME_MILLIS;
  }

  public static long maxEventTimeMillis() {
    return MAX_EVENT_TIME_MILLIS;
  }

  /** Whether the line holds nothing to parse; such lines are skipped, not counted. */
  public static boolean isBlank(String line) {
    return line == null || line.isBlank();
  }

  /**
   * Bytes that are not UTF-8 reach here as U+FFFD (the decoders replace them). Such a line is rejected rather than
   * aggregated, so two users whose ids differ only in broken bytes cannot merge into one.
   */
  static final String NOT_UTF8 = "not valid UTF-8 text (a malformed byte sequence, or U+FFFD, in the line)";

  public static Event parse(String line) throws InvalidEventException {
    return fromObject(readObject(line));
  }

  /** The JSON object on a line (one object, valid UTF-8), for any mapping of its fields. */
  static JsonNode readObject(String line) throws InvalidEventException {
    JsonNode node = readLine(line, MAPPER::readTree);
    if (node == null || node.isMissingNode()) {
      throw new InvalidEventException("invalid JSON: no value");
    }
    if (!node.isObject()) {
      throw new InvalidEventException("not a JSON object but a JSON " + describe(node));
    }
    return node;
  }

  /** What reads a line's JSON from a parser; {@link #readLine} turns what Jackson throws into the line's refusal. */
  interface LineRead<T> {
    T read(JsonParser parser) throws IOException, InvalidEventException;
  }

  /**
   * Reads one JSON value from a line of valid UTF-8 with a parser of {@link #MAPPER}, the one place where what Jackson
   * throws becomes the line's reason: the whole tree ({@link #readObject}) and the named fields only
   * ({@link JsonFieldReader}) refuse a line alike.
   */
  static <T> T readLine(String line, LineRead<T> read) throws InvalidEventException {
    if (line.indexOf('\uFFFD') >= 0) {
      throw new InvalidEventException(NOT_UTF8);
    }
    try (JsonParser parser = MAPPER.createParser(line)) {
      T value = read.read(parser);
      if (parser.nextToken() != null) {
        throw new InvalidEventException("invalid JSON: more than one JSON value on the line");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidEventException("invalid JSON: " + e.getMessage());
    } catch (NumberFormatException e) {
      // a number no decimal holds (0e3333333345: its exponent overflows), found by fuzzing (EventReaderFuzzTest)
      throw new InvalidEventException("invalid JSON: " + e.getMessage());
    }
  }

  /** Validates an already parsed JSON object (used for scenario events too). */
  public static Event fromObject(JsonNode node) throws InvalidEventException {
    String key = requiredString(node, "user_id");
    String eventType = optionalString(node, "event_type");
    BigDecimal amount = amount(node.get("amount"));
    long eventTime = eventTime(node.get("event_time"));
    return new Event(key, eventType, amount, eventTime);
  }

  private static String requiredString(JsonNode node, String field) throws InvalidEventException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidEventException(field + " is missing");
    }
    if (!value.isTextual()) {
      throw new InvalidEventException(field + " must be a string, got " + describe(value));
    }
    if (value.asText().isBlank()) {
      throw new InvalidEventException(field + " must not be blank");
    }
    return value.asText();
  }

  private static String optionalString(JsonNode node, String field) throws InvalidEventException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidEventException(field + " must be a string, got " + describe(value));
    }
    return value.asText();
  }

  /**
   * The amount as the decimal written in the line ({@code 12.34}, {@code -5}, {@code 1e2} = 100), exactly: at most
   * {@link #MAX_AMOUNT_DECIMALS} decimal places and {@link #MAX_AMOUNT_DIGITS} digits in all (SPEC section 5).
   */
  private static BigDecimal amount(JsonNode value) throws InvalidEventException {
    if (value == null || value.isNull()) {
      throw new InvalidEventException("amount is missing");
    }
    if (!value.isNumber()) {
      throw new InvalidEventException("amount must be a number, got " + describe(value));
    }
    // exact: floats are read as BigDecimal (USE_BIG_DECIMAL_FOR_FLOATS)
    return exact(value.decimalValue(), "amount", value.asText());
  }

  /**
   * A value as the decimal written, exactly: at most {@link #MAX_AMOUNT_DECIMALS} decimal places and
   * {@link #MAX_AMOUNT_DIGITS} digits in all, without an exponent.
   *
   * @param name the field, as the reason names it
   * @param written the value as written, for the reason
   */
  static BigDecimal exact(BigDecimal amount, String name, String written) throws InvalidEventException {
    if (amount.precision() - amount.scale() > MAX_AMOUNT_DIGITS) { // before 1e999999 is written out in digits
      throw tooManyDigits(name, written);
    }
    if (amount.scale() > MAX_AMOUNT_DECIMALS) {
      amount = amount.stripTrailingZeros(); // 1.50000000000000000000 is 1.5
      if (amount.scale() > MAX_AMOUNT_DECIMALS) {
        String shown = amount.scale() <= 100 ? amount.toPlainString() : written;
        throw new InvalidEventException(name + " " + shown + " has more than " + MAX_AMOUNT_DECIMALS
            + " decimal places: sums are exact to " + MAX_AMOUNT_DECIMALS + " places");
      }
    }
    if (amount.scale() < 0) {
      amount = amount.setScale(0); // 1e2 -> 100, written without an exponent
    }
    if (amount.precision() > MAX_AMOUNT_DIGITS) {
      throw tooManyDigits(name, written);
    }
    return amount;
  }

  private static InvalidEventException tooManyDigits(String name, String written) {
    return new InvalidEventException(name + " " + written + " has more than " + MAX_AMOUNT_DIGITS
        + " digits: amounts are exact decimals of at most " + MAX_AMOUNT_DIGITS + " digits");
  }

  private static long eventTime(JsonNode value) throws InvalidEventException {
    if (value == null || value.isNull()) {
      throw new InvalidEventException("event_time is missing");
    }
    long millis;
    if (value.isNumber()) {
      BigDecimal seconds = value.decimalValue();
      if (seconds.compareTo(BigDecimal.valueOf(TimeFormat.MAX_PLAUSIBLE_EPOCH_SECONDS)) > 0) {
        throw new InvalidEventException("event_time " + value.asText() + " is too large for epoch seconds (after the"
            + " year 9999): epoch milliseconds? Set agg.event.time-format=epoch-millis (or epoch-micros, epoch-nanos)");
      }
      BigDecimal ms = seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR);
      if (ms.compareTo(BigDecimal.valueOf(MIN_EVENT_TIME_MILLIS)) < 0
          || ms.compareTo(BigDecimal.valueOf(MAX_EVENT_TIME_MILLIS)) > 0) {
        throw outOfRange(value.asText());
      }
      millis = ms.longValueExact();
    } else if (value.isTextual()) {
      Instant instant;
      try {
        instant = Instant.parse(value.asText());
      } catch (DateTimeException e) {
        throw new InvalidEventException(
            "event_time '" + value.asText() + "' is not an ISO-8601 instant (e.g. 2026-01-08T10:00:05Z)");
      }
      try {
        millis = instant.toEpochMilli();
      } catch (ArithmeticException e) {
        throw outOfRange(value.asText());
      }
      if (millis < MIN_EVENT_TIME_MILLIS || millis > MAX_EVENT_TIME_MILLIS) {
        throw outOfRange(value.asText());
      }
    } else {
      throw new InvalidEventException(
          "event_time must be epoch seconds or an ISO-8601 instant string, got " + describe(value));
    }
    return millis;
  }

  private static InvalidEventException outOfRange(String text) {
    return new InvalidEventException(
        "event_time " + text + " is outside the range Beam supports (" + Instant.ofEpochMilli(MIN_EVENT_TIME_MILLIS)
            + " to " + Instant.ofEpochMilli(MAX_EVENT_TIME_MILLIS) + ")");
  }

  static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case STRING -> "string \"" + abbreviate(value.asText()) + "\"";
      case NUMBER -> "number " + value.asText();
      case BOOLEAN -> "boolean " + value.asText();
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase();
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
