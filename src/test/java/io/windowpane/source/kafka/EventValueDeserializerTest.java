package io.windowpane.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.Coders;
import io.windowpane.pipeline.ParsedLine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** A record value parsed once by the reader: what the watermark and the pipeline both take from it. */
class EventValueDeserializerTest {

  private static ParsedLine parse(String value) {
    return new EventValueDeserializer().deserialize("t", value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aValidEventKeepsItsExactAmountAndEventTime() {
    ParsedLine value = parse("{\"user_id\":\"u1\",\"amount\":12.30,\"event_time\":1767866405.5}");
    assertThat(value.event().key()).isEqualTo("u1");
    assertThat(value.event().amount()).isEqualTo(new BigDecimal("12.30"));
    assertThat(value.eventTimeMillis()).isEqualTo(1_767_866_405_500L);
    assertThat(value.line()).isEqualTo("{\"user_id\":\"u1\",\"amount\":12.30,\"event_time\":1767866405.5}");
    assertThat(value.isBlank()).isFalse();
  }

  @Test
  void anInvalidRecordKeepsItsTextAndTheReason() {
    ParsedLine value = parse("{\"amount\":1}");
    assertThat(value.event()).isNull();
    assertThat(value.eventTimeMillis()).isNull();
    assertThat(value.line()).isEqualTo("{\"amount\":1}");
    assertThat(value.invalidReason()).isEqualTo("user_id is missing");
  }

  @Test
  void bytesThatAreNotUtf8AreRejected() {
    ParsedLine value = new EventValueDeserializer().deserialize("t",
        new byte[] {'{', '"', 'u', 's', 'e', 'r', '_', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}'});
    assertThat(value.invalidReason()).contains("not valid UTF-8");
  }

  @Test
  void tombstonesAndEmptyValuesAreBlank() {
    assertThat(parse(null).isBlank()).isTrue();
    assertThat(parse("  ").isBlank()).isTrue();
  }

  @Test
  void theCoderRoundTripsEveryKind() throws Exception {
    for (ParsedLine value : new ParsedLine[] {
        parse("{\"user_id\":\"u1\",\"event_type\":\"purchase\",\"amount\":-5.25,\"event_time\":\"2026-01-08T10:00:05Z\"}"),
        parse("not json"), parse(null)}) {
      CoderProperties.coderDecodeEncodeEqual(Coders.PARSED_LINE, value);
    }
    CoderProperties.coderDeterministic(Coders.PARSED_LINE, parse("not json"), parse("not json"));
  }

  /** A consumer configured by the job: the mapping and, for a live read, the max-future limit travel in its settings. */
  private static EventValueDeserializer configured(io.windowpane.pipeline.EventMapping mapping,
      java.time.Duration maxFuture, java.time.Instant now) {
    EventValueDeserializer deserializer =
        new EventValueDeserializer(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    deserializer.configure(EventValueDeserializer.settings(mapping, maxFuture), false);
    return deserializer;
  }

  @Test
  void valuesAreReadUnderTheJobsMapping() {
    io.windowpane.pipeline.EventMapping nested = new io.windowpane.pipeline.EventMapping(
        java.util.List.of(new io.windowpane.pipeline.FieldPath("order.customer")),
        new io.windowpane.pipeline.FieldPath("ts"),
        new io.windowpane.pipeline.TimeFormat("epoch-millis", java.time.ZoneId.of("UTC")),
        new io.windowpane.pipeline.FieldPath("order.total"),
        java.util.List.of(io.windowpane.pipeline.Aggregate.COUNT, io.windowpane.pipeline.Aggregate.SUM),
        io.windowpane.pipeline.FieldFilter.parse(java.util.List.of("kind=order")),
        io.windowpane.pipeline.EventMapping.InputFormat.AUTO, ',');
    EventValueDeserializer deserializer = configured(nested, null, java.time.Instant.EPOCH);
    ParsedLine value = deserializer.deserialize("t",
        "{\"kind\":\"order\",\"order\":{\"customer\":\"c7\",\"total\":2.5},\"ts\":1767866405123}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(value.event().key()).isEqualTo("c7");
    assertThat(value.eventTimeMillis()).isEqualTo(1_767_866_405_123L);
    assertThat(deserializer.deserialize("t", "{\"kind\":\"view\"}".getBytes(StandardCharsets.UTF_8))
        .isFiltered()).isTrue();
  }

  @Test
  void aLiveEventFarAheadOfTheClockIsADeadLetterBeforeItMovesTheWatermark() {
    java.time.Instant now = java.time.Instant.parse("2026-01-08T10:00:00Z");
    EventValueDeserializer live = configured(io.windowpane.pipeline.EventMapping.DEFAULT,
        java.time.Duration.ofHours(1), now);
    String withinAnHour = "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":\"2026-01-08T10:59:59Z\"}";
    assertThat(live.deserialize("t", withinAnHour.getBytes(StandardCharsets.UTF_8)).event()).isNotNull();
    String ahead = "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":\"2026-01-08T11:00:01Z\"}";
    ParsedLine refused = live.deserialize("t", ahead.getBytes(StandardCharsets.UTF_8));
    assertThat(refused.eventTimeMillis()).as("no event time for the watermark").isNull();
    assertThat(refused.line()).isEqualTo(ahead);
    assertThat(refused.invalidReason()).isEqualTo("event time 2026-01-08T11:00:01Z is more than agg.event.max-future"
        + " (1h) ahead of the clock when it was read (2026-01-08T10:00:00Z): it would hold its windows open far ahead"
        + " (epoch milliseconds read as seconds?)");
    EventValueDeserializer bounded = configured(io.windowpane.pipeline.EventMapping.DEFAULT, null, now);
    assertThat(bounded.deserialize("t", ahead.getBytes(StandardCharsets.UTF_8)).event())
        .as("a bounded read has no clock to compare with").isNotNull();
  }
}
