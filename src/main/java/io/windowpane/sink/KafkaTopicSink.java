package io.windowpane.sink;

import io.windowpane.pipeline.ToJsonLines;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes each element as one JSON record to a Kafka topic with Beam's {@link KafkaIO#write()}, keyed by
 * {@code key} (or without a key), with the producer settings of {@code spring.kafka.*}.
 */
public class KafkaTopicSink<T> extends PTransform<PCollection<T>, PDone> {

  private final String topic;
  private final HashMap<String, Object> producerConfig;
  private final SerializableFunction<T, String> key;

  /** @param key the record key of an element, or {@code null} for records without a key */
  public KafkaTopicSink(String topic, Map<String, Object> producerConfig, SerializableFunction<T, String> key) {
    this.topic = topic;
    this.producerConfig = new HashMap<>(producerConfig);
    this.key = key;
  }

  @Override
  public PDone expand(PCollection<T> elements) {
    return elements
        .apply("ToKeyedJson", ParDo.of(new ToKeyedJsonFn<>(key)))
        .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()))
        .apply("PublishTo" + topic, KafkaIO.<String, String>write()
            .withProducerConfigUpdates(producerConfig)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class));
  }

  static final class ToKeyedJsonFn<T> extends DoFn<T, KV<String, String>> {
    private final SerializableFunction<T, String> key;

    ToKeyedJsonFn(SerializableFunction<T, String> key) {
      this.key = key;
    }

    @ProcessElement
    public void processElement(@Element T element, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(key == null ? null : key.apply(element), ToJsonLines.toJson(element)));
    }
  }
}
