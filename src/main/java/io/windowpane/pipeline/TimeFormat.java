package io.windowpane.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * How an event's time is written (SPEC section 14, {@code agg.event.time-format} and {@code agg.event.time-zone}):
 * {@code auto} (ISO-8601 text or epoch seconds), {@code iso}, {@code epoch-seconds}, {@code epoch-millis},
 * {@code epoch-micros}, {@code epoch-nanos}, or a {@code java.time} pattern. A time without an offset is read in the
 * zone: in a daylight-saving gap it moves forward by the gap, in an overlap the earlier offset wins (java.time's
 * rules, {@link ZonedDateTime#ofLocal}).
 *
 * @param format the format as configured
 * @param zone the zone of times written without an offset
 */
public record TimeFormat(String format, ZoneId zone) implements Serializable {

  /** What a format reads, resolved once per format (a pattern's formatter is costly to build, and per event). */
  private static final java.util.concurrent.ConcurrentMap<String, Object> RESOLVED =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static final TimeFormat AUTO_UTC = new TimeFormat("auto", ZoneId.of("UTC"));

  /**
   * The latest epoch seconds {@code auto} takes: 9999-12-31T23:59:59Z. A larger number is almost surely epoch
   * milliseconds (or finer), which read as seconds would stamp the event tens of thousands of years ahead.
   */
  static final long MAX_PLAUSIBLE_EPOCH_SECONDS = 253_402_300_799L;

  /** The named formats and the power of ten of one second in each epoch unit. */
  private enum Named {
    AUTO(0), ISO(0), EPOCH_SECONDS(0), EPOCH_MILLIS(3), EPOCH_MICROS(6), EPOCH_NANOS(9);

    final int digitsPerSecond;

    Named(int digitsPerSecond) {
      this.digitsPerSecond = digitsPerSecond;
    }

    static Named of(String format) {
      for (Named named : values()) {
        if (named.name().replace('_', '-').equalsIgnoreCase(format)) {
          return named;
        }
      }
      return null;
    }
  }

  public TimeFormat {
    if (format == null || format.isBlank()) {
      throw new IllegalArgumentException("an empty time format");
    }
    format = format.strip();
    if (Named.of(format) == null) {
      formatter(format); // a pattern that does not parse is refused at startup
    }
  }

  /** Whether this is the tutorial's default: {@code auto} in UTC. */
  public boolean isDefault() {
    return equals(AUTO_UTC);
  }

  private static DateTimeFormatter formatter(String pattern) {
    try {
      return DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    } catch (IllegalArgumentException | ClassCastException e) {
      // ClassCastException: the JDK's pattern parser fails so on some patterns ("epKch-is", found by fuzzing)
      throw new IllegalArgumentException("'" + pattern + "' is neither auto, iso, epoch-seconds, epoch-millis,"
          + " epoch-micros, epoch-nanos nor a java.time pattern: " + e.getMessage(), e);
    }
  }

  /** The named format, or the pattern's formatter. */
  private Object resolved() {
    return RESOLVED.computeIfAbsent(format, f -> {
      Named named = Named.of(f);
      return named != null ? named : formatter(f);
    });
  }

  private Named named() {
    return resolved() instanceof Named named ? named : null;
  }

  /** The time of a JSON value at {@code path}, in epoch milliseconds. */
  public long millis(JsonNode value, String path) throws InvalidEventException {
    if (value.isNumber()) {
      Named named = named();
      if (named == null || named == Named.ISO) {
        throw new InvalidEventException(path + " is a number (" + value.asText() + "), but agg.event.time-format is "
            + format + ": text is expected");
      }
      return epoch(value.decimalValue(), named, value.asText(), path);
    }
    if (value.isTextual()) {
      return millis(value.asText(), path);
    }
    throw new InvalidEventException(path + " must be a time, got " + EventParser.describe(value));
  }

  /** The time of a text at {@code path} (a CSV field, a JSON string), in epoch milliseconds. */
  public long millis(String text, String path) throws InvalidEventException {
    Named named = named();
    String trimmed = text.strip();
    if (named == null) {
      return inRange(fromPattern(trimmed, path), text, path);
    }
    switch (named) {
      case ISO:
        return inRange(iso(trimmed, path), text, path);
      case AUTO:
        if (looksNumeric(trimmed)) {
          return epoch(decimal(trimmed, path), named, text, path);
        }
        return inRange(iso(trimmed, path), text, path);
      default:
        return epoch(decimal(trimmed, path), named, text, path);
    }
  }

  private static boolean looksNumeric(String text) {
    return !text.isEmpty() && (Character.isDigit(text.charAt(0))
        || (text.length() > 1 && (text.charAt(0) == '-' || text.charAt(0) == '+') && Character.isDigit(text.charAt(1))))
        && text.chars().noneMatch(c -> c == ':' || c == 'T' || c == 'Z' || c == ' ' || c == '/')
        && text.chars().filter(c -> c == '-').count() <= 1;
  }

  private static BigDecimal decimal(String text, String path) throws InvalidEventException {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidEventException(path + " '" + abbreviate(text) + "' is not a number");
    }
  }

  private long epoch(BigDecimal value, Named named, String written, String path) throws InvalidEventException {
    if (named == Named.AUTO && value.compareTo(BigDecimal.valueOf(MAX_PLAUSIBLE_EPOCH_SECONDS)) > 0) {
      throw new InvalidEventException(path + " " + written + " is too large for epoch seconds (after the year 9999):"
          + " epoch milliseconds? Set agg.event.time-format=epoch-millis (or epoch-micros, epoch-nanos)");
    }
    BigDecimal ms = value.movePointRight(3 - named.digitsPerSecond).setScale(0, RoundingMode.FLOOR);
    if (ms.compareTo(BigDecimal.valueOf(EventParser.MIN_EVENT_TIME_MILLIS)) < 0
        || ms.compareTo(BigDecimal.valueOf(EventParser.MAX_EVENT_TIME_MILLIS)) > 0) {
      throw outOfRange(written, path);
    }
    return ms.longValueExact();
  }

  /**
   * An ISO-8601 time: with an offset or zone ({@code Z}, {@code +01:00}, {@code [Europe/Paris]}), local (in this
   * zone), or a date (its start). Told apart by looking, not by failing: a failed parse costs an exception per event.
   */
  private long iso(String text, String path) throws InvalidEventException {
    try {
      int t = text.indexOf('T');
      if (t < 0) {
        return toMillis(LocalDate.parse(text), text, path);
      }
      boolean zoned = text.endsWith("Z") || text.endsWith("z") || text.endsWith("]") || text.indexOf('+', t) > 0
          || text.indexOf('-', t) > 0;
      TemporalAccessor parsed = zoned ? ZonedDateTime.parse(text, DateTimeFormatter.ISO_DATE_TIME)
          : LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      return toMillis(parsed, text, path);
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(path + " '" + abbreviate(text) + "' is not an ISO-8601 time (e.g."
          + " 2026-01-08T10:00:05Z, or 2026-01-08T10:00:05 in " + zone + ")");
    }
  }

  private long fromPattern(String text, String path) throws InvalidEventException {
    try {
      return toMillis(((DateTimeFormatter) resolved()).parse(text), text, path);
    } catch (DateTimeException e) {
      throw new InvalidEventException(path + " '" + abbreviate(text) + "' does not match the time format '" + format
          + "'");
    }
  }

  /** An instant from what a format read: with its own offset or zone where it has one, else in this zone. */
  private long toMillis(TemporalAccessor parsed, String text, String path) throws InvalidEventException {
    try {
      Instant instant;
      if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
        instant = Instant.from(parsed);
      } else if (parsed.isSupported(ChronoField.HOUR_OF_DAY) || parsed.isSupported(ChronoField.CLOCK_HOUR_OF_AMPM)) {
        instant = ZonedDateTime.ofLocal(LocalDateTime.from(parsed), zone, null).toInstant();
      } else {
        instant = LocalDate.from(parsed).atStartOfDay(zone).toInstant();
      }
      return inRange(instant.toEpochMilli(), text, path);
    } catch (DateTimeException | ArithmeticException e) {
      throw new InvalidEventException(path + " '" + abbreviate(text) + "' is not a complete time for the format '"
          + format + "' (it needs at least a date)");
    }
  }

  private static long inRange(long millis, String text, String path) throws InvalidEventException {
    if (millis < EventParser.MIN_EVENT_TIME_MILLIS || millis > EventParser.MAX_EVENT_TIME_MILLIS) {
      throw outOfRange(text, path);
    }
    return millis;
  }

  private static InvalidEventException outOfRange(String text, String path) {
    return new InvalidEventException(path + " " + abbreviate(text) + " is outside the range Beam supports ("
        + Instant.ofEpochMilli(EventParser.MIN_EVENT_TIME_MILLIS) + " to "
        + Instant.ofEpochMilli(EventParser.MAX_EVENT_TIME_MILLIS) + ")");
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
