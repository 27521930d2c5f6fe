package io.windowpane.source.kafka;

import io.windowpane.pipeline.ParsedLine;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka's side of the one parse of a record value: KafkaIO's reader calls it for each record it fetched. Bytes that
 * are not valid UTF-8 decode to U+FFFD, which the parser rejects, so such a record is dead-lettered instead of
 * aggregated under a mangled user.
 */
public final class EventValueDeserializer implements Deserializer<ParsedLine> {

  @Override
  public ParsedLine deserialize(String topic, byte[] data) {
    return ParsedLine.of(data == null ? null : new String(data, StandardCharsets.UTF_8));
  }
}
