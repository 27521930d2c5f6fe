package io.windowpane.sink;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka topic that {@link ExactlyOnceLines} publishes batches to, each in one transaction: the records and the
 * batch's number (kept as the committed offset metadata of a consumer group named after the run, as Beam's own
 * exactly-once Kafka sink keeps its sequence ids) commit together or not at all. Readers with
 * {@code isolation.level=read_committed} see each record once. The transactional id is the group's, so a restarted
 * writer fences off (and aborts the open transaction of) the one before it.
 */
record KafkaTopicCommitter(String topic, Map<String, Object> producerConfig, String group) implements LineCommitter {

  KafkaTopicCommitter {
    producerConfig = Map.copyOf(producerConfig);
  }

  @Override
  public Open open(String run) throws IOException {
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    try {
      producer.initTransactions();
      return new OpenTopic(producer, readCommittedBatch());
    } catch (KafkaException e) {
      producer.close();
      throw new IOException("cannot open a transactional producer for topic " + topic + ": " + e.getMessage(), e);
    }
  }

  /** The batch number the group's committed metadata holds, or -1. */
  private long readCommittedBatch() {
    Map<String, Object> config = new HashMap<>();
    Set<String> consumerKeys = ConsumerConfig.configNames();
    producerConfig.forEach((key, value) -> {
      if (consumerKeys.contains(key)) {
        config.put(key, value);
      }
    });
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      OffsetAndMetadata committed = consumer.committed(Set.of(partition())).get(partition());
      return committed == null || committed.metadata().isEmpty() ? -1 : Long.parseLong(committed.metadata());
    }
  }

  private TopicPartition partition() {
    return new TopicPartition(topic, 0);
  }

  private final class OpenTopic implements Open {

    private final KafkaProducer<String, String> producer;
    private long lastCommitted;

    OpenTopic(KafkaProducer<String, String> producer, long lastCommitted) {
      this.producer = producer;
      this.lastCommitted = lastCommitted;
    }

    @Override
    public long lastCommitted() {
      return lastCommitted;
    }

    @Override
    public void commit(long batch, List<KV<String, String>> lines) throws IOException {
      if (batch <= lastCommitted) {
        return;
      }
      try {
        producer.beginTransaction();
        for (KV<String, String> line : lines) {
          producer.send(new ProducerRecord<>(topic, line.getKey(), line.getValue()));
        }
        producer.sendOffsetsToTransaction(Map.of(partition(), new OffsetAndMetadata(0, Long.toString(batch))),
            new ConsumerGroupMetadata(group));
        producer.commitTransaction();
        lastCommitted = batch;
      } catch (KafkaException e) {
        // the transaction is left to the broker to abort (or to the next writer, which fences this one off)
        throw new IOException("cannot publish batch " + batch + " to topic " + topic + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
