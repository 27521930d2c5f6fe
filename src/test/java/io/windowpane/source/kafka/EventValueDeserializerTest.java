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
    assertThat(value.event().userId()).isEqualTo("u1");
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
}
