package io.windowpane.sink;

import io.windowpane.pipeline.ToJsonLines;
import java.util.HashMap;
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
 * Publishes each element as one JSON record to a Kafka topic, keyed by {@code key} (or without a key), with the
 * producer settings of {@code spring.kafka.*}: with Beam's {@link KafkaIO#write()} as they come, or, for a
 * checkpointed run, in Kafka transactions that commit with the runner's checkpoints ({@link ExactlyOnceLines},
 * {@link KafkaTopicCommitter}): readers with {@code isolation.level=read_committed} see each record once, across
 * crashes and restarts.
 */
public class KafkaTopicSink<T> extends PTransform<PCollection<T>, PDone> {

  private final KafkaTarget target;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, String> value;

  /**
   * @param key the record key of an element, or {@code null} for records without a key
   * @param value the record value of an element, or {@code null} for its JSON ({@link ToJsonLines#toJson})
   */
  KafkaTopicSink(KafkaTarget target, SerializableFunction<T, String> key, SerializableFunction<T, String> value) {
    this.target = target;
    this.key = key;
    this.value = value;
  }

  @Override
  public PDone expand(PCollection<T> elements) {
    PCollection<KV<String, String>> records = elements
        .apply("ToKeyedJson", ParDo.of(new ToKeyedJsonFn<>(key, value)))
        .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
    String topic = target.topic();
    if (target.exactlyOnceRun() != null) {
      String group = "windowpane-" + topic + "-" + target.exactlyOnceRun();
      return records.apply("PublishTo" + topic, new ExactlyOnceLines(
          new KafkaTopicCommitter(topic, new HashMap<>(target.producerConfig()), group), target.exactlyOnceRun()));
    }
    return records.apply("PublishTo" + topic, KafkaIO.<String, String>write()
        .withProducerConfigUpdates(new HashMap<>(target.producerConfig()))
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class));
  }

  static final class ToKeyedJsonFn<T> extends DoFn<T, KV<String, String>> {
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, String> value;

    ToKeyedJsonFn(SerializableFunction<T, String> key, SerializableFunction<T, String> value) {
      this.key = key;
      this.value = value;
    }

    @ProcessElement
    public void processElement(@Element T element, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(key == null ? null : key.apply(element),
          value == null ? ToJsonLines.toJson(element) : value.apply(element)));
    }
  }
}
