package io.windowpane.sink;

import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;

/** A Kafka topic that rows or rejected records are published to, with the producer settings. */
public record KafkaTarget(String topic, Map<String, Object> producerConfig) {

  public KafkaTarget {
    producerConfig = Map.copyOf(producerConfig);
  }

  /** @param key the record key of an element, or {@code null} for records without a key */
  public <T> KafkaTopicSink<T> sink(SerializableFunction<T, String> key) {
    return new KafkaTopicSink<>(topic, producerConfig, key);
  }

  @Override
  public String toString() {
    return "Kafka topic " + topic;
  }
}
