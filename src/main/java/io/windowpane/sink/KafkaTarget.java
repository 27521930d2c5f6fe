package io.windowpane.sink;

import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A Kafka topic that rows or rejected records are published to, with the producer settings.
 *
 * @param exactlyOnceRun when set, records are written exactly once for that checkpointed run ({@link
 *     KafkaTopicCommitter}); {@code null}: written as they come
 */
public record KafkaTarget(String topic, Map<String, Object> producerConfig, String exactlyOnceRun) {

  public KafkaTarget {
    producerConfig = Map.copyOf(producerConfig);
  }

  public KafkaTarget(String topic, Map<String, Object> producerConfig) {
    this(topic, producerConfig, null);
  }

  /** The same topic, written exactly once by a checkpointed run. */
  public KafkaTarget exactlyOnce(String run) {
    return new KafkaTarget(topic, producerConfig, run);
  }

  /**
   * Elements as their JSON ({@code ToJsonLines}).
   *
   * @param key the record key of an element, or {@code null} for records without a key
   */
  public <T> KafkaTopicSink<T> sink(SerializableFunction<T, String> key) {
    return new KafkaTopicSink<>(this, key, null);
  }

  /**
   * @param key the record key of an element, or {@code null} for records without a key
   * @param value the record value of an element
   */
  public <T> KafkaTopicSink<T> sink(SerializableFunction<T, String> key, SerializableFunction<T, String> value) {
    return new KafkaTopicSink<>(this, key, value);
  }

  @Override
  public String toString() {
    return "Kafka topic " + topic + (exactlyOnceRun == null ? "" : " (transactional)");
  }
}
