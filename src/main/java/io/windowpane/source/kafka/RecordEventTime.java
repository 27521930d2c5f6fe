package io.windowpane.source.kafka;

import io.windowpane.pipeline.EventReader;
import io.windowpane.pipeline.ParsedLine;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Instant;

/**
 * A Kafka record's element timestamp: the {@code event_time} of the event in its value (SPEC section 3), so windows
 * follow when things happened, not when they were written. A record that is no valid event keeps the record's own
 * Kafka timestamp: it is dead-lettered by {@code ParseEvents} and never reaches a window.
 */
public final class RecordEventTime implements SerializableFunction<KafkaRecord<byte[], ParsedLine>, Instant> {

  @Override
  public Instant apply(KafkaRecord<byte[], ParsedLine> record) {
    Long eventTime = eventTimeMillis(record);
    return new Instant(eventTime != null ? eventTime : record.getTimestamp());
  }

  /**
   * The event time of a record's parsed value (the record's own timestamp where the mapping says
   * {@code @timestamp}), or {@code null} when it is no valid event.
   */
  static Long eventTimeMillis(KafkaRecord<byte[], ParsedLine> record) {
    ParsedLine value = record.getKV().getValue();
    Long eventTime = value == null ? null : value.eventTimeMillis();
    if (eventTime != null && eventTime == EventReader.RECORD_TIME_PENDING) {
      return record.getTimestamp();
    }
    return eventTime;
  }
}
