package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventParserTest {

  @Test
  void parsesTheTutorialFormat() throws Exception {
    Event event = EventParser.parse(
        "{\"user_id\": \"u1\", \"event_type\": \"purchase\", \"amount\": 20.0, \"event_time\": 1767866405}");
    assertThat(event).isEqualTo(new Event("u1", "purchase", new BigDecimal("20.0"), 1_767_866_405_000L));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource({
      "12.34, 12.34", "-5, -5", "1e2, 100", "1E+2, 100", "2.50, 2.50", "0.000000000000000001, 0.000000000000000001",
      "1.500000000000000000000, 1.5", "99999999999999999999.999999999999999999, 99999999999999999999.999999999999999999",
      "12345678901234567890123456789012345678, 12345678901234567890123456789012345678",
      "1.500000000000000000, 1.500000000000000000", "0.0000000000000000010, 0.000000000000000001"})
  void amountsAreTheDecimalsWrittenExactly(String written, String exact) throws Exception {
    Event event = EventParser.parse("{\"user_id\":\"u1\",\"amount\":" + written + ",\"event_time\":0}");
    assertThat(event.amount()).isEqualTo(new BigDecimal(exact));
    assertThat(event.amount().toPlainString()).isEqualTo(exact);
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "0.0000000000000000001 | has more than 18 decimal places",
      "1234567890123456789012345678901234567890 | has more than 38 digits",
      "1e40 | has more than 38 digits"})
  void amountsBeyondThePrecisionAreRejectedWithTheReason(String written, String reason) {
    assertThatThrownBy(() -> EventParser.parse("{\"user_id\":\"u1\",\"amount\":" + written
        + ",\"event_time\":0}")).isInstanceOf(InvalidEventException.class).hasMessageContaining(reason);
  }

  static Stream<Arguments> validLines() {
    return Stream.of(
        Arguments.of("fractional epoch seconds keep their milliseconds",
            "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":1767866405.123}",
            new Event("u1", null, new BigDecimal("1"), 1_767_866_405_123L)),
        Arguments.of("ISO-8601 instant",
            "{\"user_id\":\"u1\",\"amount\":1.5,\"event_time\":\"2026-01-08T10:00:05Z\"}",
            new Event("u1", null, new BigDecimal("1.5"), 1_767_866_405_000L)),
        Arguments.of("ISO-8601 instant with offset",
            "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":\"2026-01-08T11:00:05+01:00\"}",
            new Event("u1", null, new BigDecimal("1"), 1_767_866_405_000L)),
        Arguments.of("unknown fields are ignored",
            "{\"user_id\":\"u9\",\"amount\":-3,\"event_time\":0,\"country\":\"NL\",\"tags\":[1,2]}",
            new Event("u9", null, new BigDecimal("-3"), 0L)),
        Arguments.of("event_type null is absent",
            "{\"user_id\":\"u1\",\"event_type\":null,\"amount\":2,\"event_time\":10}",
            new Event("u1", null, new BigDecimal("2"), 10_000L)),
        Arguments.of("negative epoch seconds are before 1970",
            "{\"user_id\":\"u1\",\"amount\":2,\"event_time\":-1.5}",
            new Event("u1", null, new BigDecimal("2"), -1_500L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validLines")
  void acceptsValidLines(String description, String line, Event expected) throws Exception {
    assertThat(EventParser.parse(line)).isEqualTo(expected);
  }

  static Stream<Arguments> invalidLines() {
    return Stream.of(
        Arguments.of("truncated JSON", "{\"user_id\":\"u1\",\"amount\":2", "invalid JSON"),
        Arguments.of("plain text", "hello world", "invalid JSON"),
        Arguments.of("a JSON array", "[{\"user_id\":\"u1\"}]", "not a JSON object but a JSON array"),
        Arguments.of("a JSON string", "\"u1\"", "not a JSON object but a JSON string"),
        Arguments.of("two JSON values", "{} {}", "invalid JSON: more than one JSON value"),
        Arguments.of("missing user_id", "{\"amount\":2,\"event_time\":1}", "user_id is missing"),
        Arguments.of("numeric user_id", "{\"user_id\":7,\"amount\":2,\"event_time\":1}",
            "user_id must be a string, got number 7"),
        Arguments.of("blank user_id", "{\"user_id\":\" \",\"amount\":2,\"event_time\":1}",
            "user_id must not be blank"),
        Arguments.of("missing amount", "{\"user_id\":\"u1\",\"event_time\":1}", "amount is missing"),
        Arguments.of("non-numeric amount", "{\"user_id\":\"u1\",\"amount\":\"20\",\"event_time\":1}",
            "amount must be a number, got string \"20\""),
        Arguments.of("NaN amount", "{\"user_id\":\"u1\",\"amount\":NaN,\"event_time\":1}", "invalid JSON"),
        Arguments.of("infinite amount", "{\"user_id\":\"u1\",\"amount\":1e999,\"event_time\":1}",
            "amount 1E+999 has more than 38 digits"),
        Arguments.of("missing event_time", "{\"user_id\":\"u1\",\"amount\":1}", "event_time is missing"),
        Arguments.of("unparsable event_time", "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":\"yesterday\"}",
            "event_time 'yesterday' is not an ISO-8601 instant"),
        Arguments.of("boolean event_time", "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":true}",
            "event_time must be epoch seconds or an ISO-8601 instant string, got boolean true"),
        Arguments.of("event_time too large for epoch seconds",
            "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":1e16}",
            "event_time 1E+16 is too large for epoch seconds (after the year 9999): epoch milliseconds?"),
        Arguments.of("event_time before Beam's range", "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":-1e16}",
            "is outside the range Beam supports"),
        Arguments.of("ISO event_time beyond Beam's range",
            "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":\"+1000000000-01-01T00:00:00Z\"}",
            "is outside the range Beam supports"),
        Arguments.of("duplicate field", "{\"user_id\":\"u1\",\"user_id\":\"u2\",\"amount\":1,\"event_time\":1}",
            "invalid JSON: Duplicate field 'user_id'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidLines")
  void rejectsInvalidLinesWithAReason(String description, String line, String reason) {
    assertThatThrownBy(() -> EventParser.parse(line))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(reason);
  }

  /**
   * An amount with a huge scale is named in its reason as written, not written out in its thousand digits (and
   * without an exponent where it has few).
   */
  @Test
  void aReasonNamesAnAmountOfHugeScaleAsWritten() {
    assertThatThrownBy(() -> EventParser.parse("{\"user_id\":\"u1\",\"amount\":1e-1000,\"event_time\":0}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("amount 1E-1000 has more than 18 decimal places: sums are exact to 18 places");
    assertThatThrownBy(() -> EventParser.parse("{\"user_id\":\"u1\",\"amount\":1e-19,\"event_time\":0}"))
        .hasMessage("amount 0.0000000000000000001 has more than 18 decimal places: sums are exact to 18 places");
  }

  /**
   * The edges of the event-time range are taken, one step beyond is not: epoch seconds up to 9999-12-31T23:59:59Z and
   * down to the earliest millisecond Beam can window; ISO-8601 instants from that millisecond up to a day before the
   * end of Beam's global window.
   */
  @Test
  void eventTimesAtTheEdgesOfTheRangeAreTakenAndOneStepBeyondIsNot() throws Exception {
    long min = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
    long max = GlobalWindow.INSTANCE.maxTimestamp().getMillis() - 86_400_000L;
    assertThat(EventParser.minEventTimeMillis()).isEqualTo(min);
    assertThat(EventParser.maxEventTimeMillis()).isEqualTo(max);

    assertThat(eventTime("253402300799")).isEqualTo(253_402_300_799_000L);
    assertThatThrownBy(() -> eventTime("253402300800")).hasMessageContaining("is too large for epoch seconds");
    assertThat(eventTime(BigDecimal.valueOf(min, 3).toPlainString())).isEqualTo(min);
    assertThatThrownBy(() -> eventTime(BigDecimal.valueOf(min - 1, 3).toPlainString()))
        .hasMessageContaining("is outside the range Beam supports");

    assertThat(eventTime("\"" + Instant.ofEpochMilli(min) + "\"")).isEqualTo(min);
    assertThat(eventTime("\"" + Instant.ofEpochMilli(max) + "\"")).isEqualTo(max);
    assertThatThrownBy(() -> eventTime("\"" + Instant.ofEpochMilli(min - 1) + "\""))
        .hasMessageContaining("is outside the range Beam supports");
    assertThatThrownBy(() -> eventTime("\"" + Instant.ofEpochMilli(max + 1) + "\""))
        .hasMessageContaining("is outside the range Beam supports");
  }

  private static long eventTime(String written) throws InvalidEventException {
    return EventParser.parse("{\"user_id\":\"u1\",\"amount\":1,\"event_time\":" + written + "}").eventTimeMillis();
  }

  /** Broken bytes (U+FFFD) reject the line wherever they are, its first character included. */
  @Test
  void aLineWithBrokenBytesIsRejectedEvenWhenTheyComeFirst() {
    for (String line : List.of("\uFFFD{\"user_id\":\"u1\",\"amount\":1,\"event_time\":0}",
        "{\"user_id\":\"u\uFFFD\",\"amount\":1,\"event_time\":0}")) {
      assertThatThrownBy(() -> EventParser.parse(line)).isInstanceOf(InvalidEventException.class)
          .hasMessage(EventParser.NOT_UTF8);
    }
  }

  @Test
  void blankLinesAreRecognisedSoTheyCanBeSkipped() {
    assertThat(EventParser.isBlank("")).isTrue();
    assertThat(EventParser.isBlank(" \t\r")).isTrue();
    assertThat(EventParser.isBlank("{}")).isFalse();
  }
}
