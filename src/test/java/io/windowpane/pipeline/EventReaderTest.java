package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the user's own events under a mapping (SPEC section 14): paths, formats, filters, CSV, bad values. */
class EventReaderTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static EventMapping mapping(List<String> key, String time, TimeFormat format, String value,
      List<Aggregate> aggregates, List<String> filter) {
    return new EventMapping(key.stream().map(FieldPath::new).toList(), new FieldPath(time), format,
        value == null ? null : new FieldPath(value), aggregates, FieldFilter.parse(filter),
        EventMapping.InputFormat.AUTO, ',');
  }

  private static final EventReader NESTED = new EventReader(mapping(
      List.of("order.customer.country", "order.customer.id"), "ts", new TimeFormat("epoch-millis", UTC),
      "order.total", List.of(Aggregate.COUNT, Aggregate.SUM, Aggregate.MEAN), List.of()));

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void nestedPathsMakeTheKeyTheTimeAndTheValue() {
    ParsedLine parsed = NESTED.parseJson("{\"order\":{\"customer\":{\"country\":\"DE\",\"id\":132},\"total\":\"12.30\"},"
        + "\"ts\":1767866405123}");
    assertThat(parsed.event()).isEqualTo(new Event("DE" + EventReader.KEY_SEPARATOR + "132", null,
        new BigDecimal("12.30"), 1767866405123L));
  }

  @Test
  void aJsonPointerReachesANameThatHoldsDots() {
    EventReader reader = new EventReader(mapping(List.of("/a.b/c"), "t", TimeFormat.AUTO_UTC, null,
        List.of(Aggregate.COUNT), List.of()));
    assertThat(reader.parseJson("{\"a.b\":{\"c\":\"x\"},\"t\":\"2026-01-08T10:00:00Z\"}").event().key())
        .isEqualTo("x");
    assertThat(new FieldPath("/a.b/c").name()).isEqualTo("c");
    assertThat(new FieldPath("order.customer.id").name()).isEqualTo("id");
  }

  @Test
  void badValuesAreDeadLettersThatNameThePath() {
    assertThat(NESTED.parseJson("{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":1},\"ts\":1}")
        .invalidReason()).isEqualTo("missing field order.customer.id");
    assertThat(NESTED.parseJson("{\"order\":{\"customer\":{\"country\":null,\"id\":1},\"total\":1},\"ts\":1}")
        .invalidReason()).isEqualTo("field order.customer.country is null");
    assertThat(NESTED.parseJson("{\"order\":{\"customer\":{\"country\":\"DE\",\"id\":1},\"total\":\"x1\"},\"ts\":1}")
        .invalidReason()).isEqualTo("field order.total 'x1' is not a number");
    assertThat(NESTED.parseJson("{\"order\":{\"customer\":{\"country\":\"DE\",\"id\":{}},\"total\":1},\"ts\":1}")
        .invalidReason()).isEqualTo("field order.customer.id must be a text, number or boolean, got object");
    assertThat(NESTED.parseJson("{\"order\":{\"customer\":{\"country\":\"DE\",\"id\":1},\"total\":1}}")
        .invalidReason()).isEqualTo("missing field ts");
    assertThat(NESTED.parseJson("{\"order\":{\"customer\":{\"country\":\"DE\",\"id\":1},\"total\":1},\"ts\":\"soon\"}")
        .invalidReason()).isEqualTo("ts 'soon' is not a number");
    assertThat(NESTED.parseJson("[1]").invalidReason()).isEqualTo("not a JSON object but a JSON array");
  }

  @Test
  void everyTimeFormat() throws InvalidEventException {
    assertThat(new TimeFormat("iso", UTC).millis("2026-01-08T10:00:05+01:00", "t"))
        .isEqualTo(millis("2026-01-08T09:00:05Z"));
    assertThat(new TimeFormat("iso", NEW_YORK).millis("2026-01-08T10:00:05", "t"))
        .isEqualTo(millis("2026-01-08T15:00:05Z"));
    assertThat(new TimeFormat("epoch-seconds", UTC).millis("1767866405.5", "t")).isEqualTo(1767866405500L);
    assertThat(new TimeFormat("epoch-millis", UTC).millis("1767866405123", "t")).isEqualTo(1767866405123L);
    assertThat(new TimeFormat("epoch-micros", UTC).millis("1767866405123999", "t")).as("finer truncated")
        .isEqualTo(1767866405123L);
    assertThat(new TimeFormat("epoch-nanos", UTC).millis("1767866405123999999", "t")).isEqualTo(1767866405123L);
    assertThat(new TimeFormat("dd/MM/yyyy HH:mm:ss", UTC).millis("08/01/2026 10:00:05", "t"))
        .isEqualTo(millis("2026-01-08T10:00:05Z"));
    assertThat(new TimeFormat("auto", UTC).millis("1767866405", "t")).isEqualTo(1767866405000L);
    assertThat(new TimeFormat("auto", UTC).millis("2026-01-08T10:00:05Z", "t")).isEqualTo(1767866405000L);
  }

  @Test
  void daylightSavingGapMovesForwardAndOverlapTakesTheEarlierOffset() throws InvalidEventException {
    TimeFormat local = new TimeFormat("yyyy-MM-dd HH:mm:ss", NEW_YORK);
    // 2026-03-08 02:30 does not exist in New York (clocks jump 02:00 -> 03:00): read as 03:30 EDT
    assertThat(local.millis("2026-03-08 02:30:00", "t")).isEqualTo(millis("2026-03-08T07:30:00Z"));
    // 2026-11-01 01:30 happens twice (EDT, then EST): the earlier offset, EDT (-04:00)
    assertThat(local.millis("2026-11-01 01:30:00", "t")).isEqualTo(millis("2026-11-01T05:30:00Z"));
  }

  @Test
  void timesOutsideTheFormatAreDeadLetters() {
    assertThatThrownBy(() -> new TimeFormat("yyyy-MM-dd HH:mm:ss", UTC).millis("08/01/2026", "when"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("when '08/01/2026' does not match the time format 'yyyy-MM-dd HH:mm:ss'");
    assertThatThrownBy(() -> new TimeFormat("iso", UTC).millis("yesterday", "when"))
        .hasMessageStartingWith("when 'yesterday' is not an ISO-8601 time");
  }

  @Test
  void autoRefusesANumberTooLargeForEpochSecondsAndSuggestsMillis() {
    assertThatThrownBy(() -> TimeFormat.AUTO_UTC.millis("1767866405000", "ts"))
        .hasMessage("ts 1767866405000 is too large for epoch seconds (after the year 9999): epoch milliseconds? Set"
            + " agg.event.time-format=epoch-millis (or epoch-micros, epoch-nanos)");
    assertThat(ParsedLine.of("{\"user_id\":\"u1\",\"amount\":1,\"event_time\":1767866405000}").invalidReason())
        .startsWith("event_time 1767866405000 is too large for epoch seconds").contains("epoch-millis");
  }

  @Test
  void aPatternThatDoesNotParseIsRefused() {
    assertThatThrownBy(() -> new TimeFormat("yyyy-MM-dd {", UTC)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is neither auto, iso");
  }

  @Test
  void eachFilterForm() {
    EventReader reader = new EventReader(mapping(List.of("user"), "t", TimeFormat.AUTO_UTC, null,
        List.of(Aggregate.COUNT), List.of("type=buy|sell", "country!=DE|AT")));
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1,\"type\":\"buy\",\"country\":\"FR\"}").event()).isNotNull();
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1,\"type\":\"sell\"}").event())
        .as("a missing field counts as not equal").isNotNull();
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1,\"type\":\"view\"}").isFiltered()).isTrue();
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1,\"type\":\"buy\",\"country\":\"AT\"}").isFiltered()).isTrue();
    assertThat(reader.parseJson("{\"t\":1,\"type\":\"view\"}").isFiltered()).as("filtered before it is checked")
        .isTrue();
    assertThatThrownBy(() -> FieldFilter.parse(List.of("type"))).hasMessageContaining("has no '='");
  }

  @Test
  void csvRowsUnderTheirHeaderWithQuotingAndOtherDelimiters() throws InvalidEventException {
    EventReader reader = new EventReader(new EventMapping(List.of(new FieldPath("customer")), new FieldPath("when"),
        new TimeFormat("yyyy-MM-dd HH:mm:ss", NEW_YORK), new FieldPath("total"),
        List.of(Aggregate.COUNT, Aggregate.SUM), FieldFilter.NONE, EventMapping.InputFormat.CSV, ';'));
    List<String> header = reader.csvHeader("customer;when;total;note");
    assertThat(reader.parseCsv("\"Smith; J\";2026-01-08 05:00:05;12.30;\"said \"\"hi\"\"\"", header).event())
        .isEqualTo(new Event("Smith; J", null, new BigDecimal("12.30"), millis("2026-01-08T10:00:05Z")));
    assertThat(reader.parseCsv("a;2026-01-08 05:00:05;1", header).invalidReason())
        .isEqualTo("the row has 3 fields, the header 4");
    assertThat(reader.parseCsv("a;2026-01-08 05:00:05;1;\"open", header).invalidReason())
        .startsWith("invalid CSV: a quoted field is not closed on its line");
    assertThat(reader.parseCsv("a;2026-01-08;1;x", header).invalidReason())
        .isEqualTo("when '2026-01-08' does not match the time format 'yyyy-MM-dd HH:mm:ss'");
    assertThat(reader.parseCsv(";2026-01-08 05:00:05;1;x", header).invalidReason()).isEqualTo("field customer is blank");
    assertThat(reader.parseCsv("a;2026-01-08 05:00:05;;x", header).invalidReason()).isEqualTo("field total is empty");
    assertThat(reader.mapping().isCsv("x.json")).isTrue();
  }

  @Test
  void csvIsChosenByTheFileNameUnderAuto() {
    assertThat(EventMapping.DEFAULT.isCsv("events.csv")).isTrue();
    assertThat(EventMapping.DEFAULT.isCsv("events.CSV.gz")).isTrue();
    assertThat(EventMapping.DEFAULT.isCsv("events.jsonl")).isFalse();
    assertThat(EventMapping.DEFAULT.isCsv("events.jsonl.gz")).isFalse();
  }

  @Test
  void theTutorialsShapeReadsAsAlways() {
    String line = "{\"user_id\":\"u1\",\"amount\":20.0,\"event_time\":1767866405}";
    assertThat(new EventReader(EventMapping.DEFAULT).parseJson(line)).isEqualTo(ParsedLine.of(line));
    assertThat(new EventReader(EventMapping.DEFAULT).parseJson("{\"amount\":1,\"event_time\":1}").invalidReason())
        .isEqualTo("user_id is missing");
  }

  @Test
  void keyFieldsWhoseRowNamesClashAreFound() {
    EventMapping clashing = mapping(List.of("a.id", "b.id"), "t", TimeFormat.AUTO_UTC, null, List.of(Aggregate.COUNT),
        List.of());
    assertThat(clashing.clashingKeyNames()).isEqualTo("[a.id, b.id]");
    assertThat(NESTED.mapping().clashingKeyNames()).isNull();
  }

  /**
   * The tutorial's field names under another time format, or with a filter, are read by the mapping, not as the
   * tutorial's shape (which would read the time as epoch seconds and ignore the filter).
   */
  @Test
  void theTutorialsNamesUnderAnotherFormatOrAFilterAreReadByTheMapping() {
    EventReader millis = new EventReader(mapping(List.of("user_id"), "event_time", new TimeFormat("epoch-millis", UTC),
        "amount", List.of(Aggregate.COUNT, Aggregate.SUM), List.of()));
    assertThat(millis.parseJson("{\"user_id\":\"u1\",\"amount\":2,\"event_time\":1767866405123}").event())
        .isEqualTo(new Event("u1", null, new BigDecimal("2"), 1_767_866_405_123L));
    EventReader filtered = new EventReader(mapping(List.of("user_id"), "event_time", TimeFormat.AUTO_UTC, "amount",
        List.of(Aggregate.COUNT, Aggregate.SUM), List.of("event_type=purchase")));
    assertThat(filtered.parseJson("{\"user_id\":\"u1\",\"event_type\":\"view\",\"amount\":2,\"event_time\":1}")
        .isFiltered()).isTrue();
  }

  /** A Kafka record's own key ({@code @key}) and timestamp ({@code @timestamp}) are the event's key and time. */
  @Test
  void theRecordsKeyAndTimestampAreTheEventsKeyAndTime() {
    EventReader reader = new EventReader(mapping(List.of("@key", "region"), "@timestamp", TimeFormat.AUTO_UTC, "v",
        List.of(Aggregate.COUNT, Aggregate.SUM), List.of()));
    assertThat(reader.parseJson("{\"region\":\"eu\",\"v\":3}", new EventReader.RecordFields("k7", 1_000L, true))
        .event()).isEqualTo(new Event("k7" + EventReader.KEY_SEPARATOR + "eu", null, new BigDecimal("3"), 1_000L));
    assertThat(reader.parseJson("{\"region\":\"eu\",\"v\":3}", new EventReader.RecordFields(null, 1_000L, true))
        .invalidReason()).isEqualTo("the record has no key (agg.event.key names @key)");
  }

  /**
   * Control characters that would corrupt a key or stand for broken bytes are refused wherever they stand, first
   * included: U+001F (which joins key fields) in a key field, U+FFFD in a CSV row.
   */
  @Test
  void controlCharactersAreRefusedAlsoAsTheFirstCharacter() {
    EventReader json = new EventReader(mapping(List.of("user"), "t", TimeFormat.AUTO_UTC, null,
        List.of(Aggregate.COUNT), List.of()));
    assertThat(json.parseJson("{\"user\":\"\\u001Fa\",\"t\":1}").invalidReason())
        .isEqualTo("field user holds the control character U+001F");
    assertThat(json.parseJson("{\"user\":\"a\\u001F\",\"t\":1}").invalidReason())
        .isEqualTo("field user holds the control character U+001F");
    EventReader csv = new EventReader(new EventMapping(List.of(new FieldPath("user")), new FieldPath("t"),
        TimeFormat.AUTO_UTC, null, List.of(Aggregate.COUNT), FieldFilter.NONE, EventMapping.InputFormat.CSV, ','));
    List<String> header = List.of("user", "t");
    assertThat(csv.parseCsv("\uFFFDa,1", header).invalidReason()).isEqualTo(EventParser.NOT_UTF8);
    assertThat(csv.parseCsv("a\uFFFD,1", header).invalidReason()).isEqualTo(EventParser.NOT_UTF8);
  }

  /**
   * A filter's empty value is a value like any other: a missing or null field is not equal to it, an empty text is.
   * An entry with nothing before '=' names no field.
   */
  @Test
  void aMissingFieldIsNotEqualToAnEmptyFilterValue() {
    EventReader reader = new EventReader(mapping(List.of("user"), "t", TimeFormat.AUTO_UTC, null,
        List.of(Aggregate.COUNT), List.of("note!=")));
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1}").event()).isNotNull();
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1,\"note\":null}").event()).isNotNull();
    assertThat(reader.parseJson("{\"user\":\"a\",\"t\":1,\"note\":\"\"}").isFiltered()).isTrue();
    assertThatThrownBy(() -> FieldFilter.parse(List.of("=buy"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'=buy' names no field before '='");
  }

  /** A dotted path has no empty segment (a name that holds dots is written as a JSON Pointer). */
  @Test
  void aDottedPathWithAnEmptySegmentIsRefused() {
    for (String path : List.of(".a", "a.", "a..b")) {
      assertThatThrownBy(() -> new FieldPath(path)).as(path).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + path + "' has an empty segment (write a name holding dots as a JSON Pointer: /a.b)");
    }
    assertThat(new FieldPath("/a..b").name()).isEqualTo("a..b");
  }

  /** Where one wanted path lies inside another's value, the streaming read finds it there, however deep. */
  @Test
  void theStreamingReadFindsAPathInsideAnotherWantedValue() {
    EventReader reader = new EventReader(mapping(List.of("a.b.c"), "t", TimeFormat.AUTO_UTC, null,
        List.of(Aggregate.COUNT), List.of("a!=x")));
    assertThat(reader.parseJson("{\"a\":{\"b\":{\"c\":\"k\"}},\"t\":1}").event())
        .isEqualTo(new Event("k", null, BigDecimal.ZERO, 1_000L));
  }

  /**
   * The streaming read of the named fields gives what the whole tree gives, line by line: values, missing and null
   * fields, containers, duplicates, arrays and objects in the parts it skips, and lines that are no single object.
   */
  @Test
  void theStreamingReadGivesWhatTheTreeGives() {
    EventReader reader = new EventReader(mapping(List.of("order.customer.country", "order.customer"), "ts",
        new TimeFormat("epoch-millis", UTC), "order.total", List.of(Aggregate.COUNT, Aggregate.SUM),
        List.of("kind!=test", "order.customer.country=DE|AT")));
    List<String> lines = List.of(
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":1.50},\"ts\":1767866405000}",
        "{\"skip\":[1,{\"a\":[2,3]}],\"order\":{\"x\":{\"y\":1},\"customer\":{\"country\":\"AT\"},"
            + "\"total\":\"2\"},\"ts\":\"1767866405001\",\"kind\":\"live\"}",
        "{\"order\":{\"customer\":{\"country\":\"FR\"},\"total\":1},\"ts\":1}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":1},\"ts\":1,\"kind\":\"test\"}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":null},\"ts\":1}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"}},\"ts\":1}",
        "{\"order\":{\"customer\":\"DE\",\"total\":1},\"ts\":1}",
        "{\"order\":[1],\"ts\":1}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":1},\"ts\":1,\"ts\":2}",
        "{\"order\":{\"customer\":{\"country\":\"DE\",\"country\":\"AT\"},\"total\":1},\"ts\":1}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":1},\"ts\":1} {}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":12.30},\"ts\":1.5e12}",
        "{\"order\":{\"customer\":{\"country\":\"DE\"},\"total\":123456789012345678901234567890},\"ts\":1}",
        "{\"order\":{\"customer\":{\"country\":true},\"total\":1e2},\"ts\":9999999999}",
        "[1, 2]", "\"text\"", "{\"order\":", "{}");
    for (String line : lines) {
      ParsedLine streamed = reader.parseJson(line);
      ParsedLine fromTree;
      try {
        fromTree = reader.fromObject(EventParser.readObject(line), line);
      } catch (InvalidEventException e) {
        fromTree = ParsedLine.invalid(line, e.getMessage());
      }
      assertThat(streamed).as(line).isEqualTo(fromTree);
    }
  }
}
