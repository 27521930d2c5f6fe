package io.windowpane.source.kafka;

import org.apache.kafka.common.serialization.Deserializer;

/** Kafka's side of the one parse of a record value: KafkaIO's reader calls it for each record it fetched. */
public final class EventValueDeserializer implements Deserializer<EventValue> {

  @Override
  public EventValue deserialize(String topic, byte[] data) {
    return EventValue.parse(data);
  }
}
