package io.windowpane.testing;

import io.windowpane.source.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker for tests (the product's own in-process KRaft broker) with the few client calls tests need:
 * create a topic, produce records, read a topic back, read a group's committed offsets. No mocks.
 */
public final class KafkaTestBroker implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;

  /** A broker on a free loopback port. */
  public KafkaTestBroker() {
    this(0);
  }

  /** A broker on the given loopback port (see {@link EmbeddedKafkaBroker#start(int)}). */
  public KafkaTestBroker(int port) {
    broker = EmbeddedKafkaBroker.start(port);
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      // kept for good: records stamped with old timestamps (a test's own) would else be deleted as past retention
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
          .configs(Map.of("retention.ms", "-1")))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each line as one record value, in order, round-robin over the topic's partitions unless keyed. */
  public void produce(String topic, List<String> lines) {
    List<byte[]> values = lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    produceBytes(topic, values);
  }

  /**
   * Records with their own key and timestamp, to partition {@code partition}.
   *
   * @param key null for a record without a key
   */
  public record Keyed(String key, long timestamp, String value) {}

  public void produceKeyed(String topic, int partition, List<Keyed> records) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Keyed record : records) {
        producer.send(new ProducerRecord<>(topic, partition, record.timestamp(),
            record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
            record.value().getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  public void produceBytes(String topic, List<byte[]> values) {
    Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrapServers(),
        "partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner"));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, value));
      }
      producer.flush();
    }
  }

  /**
   * Every committed record value of the topic, as a consumer with {@code isolation.level=read_committed} sees it:
   * read from the start up to the last stable offset of each partition.
   */
  public List<String> readCommitted(String topic) {
    return readToEnd(topic, "read_committed");
  }

  /** Every record value of the topic, from its start to the end offsets it has now. */
  public List<String> readToEnd(String topic) {
    return readToEnd(topic, "read_uncommitted");
  }

  private List<String> readToEnd(String topic, String isolation) {
    Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers(), "auto.offset.reset", "earliest",
        "group.id", "test-reader-" + System.nanoTime(), "isolation.level", isolation);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  /** Sum over partitions of the group's committed offsets (0 for a partition with none). */
  public long committedTotal(String group, String topic) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset()).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sum over partitions of the topic's end offsets. */
  public long endTotal(String topic) {
    try (Admin admin = admin()) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset()).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a consumer group, as an operator removing idle groups does (or the broker's offset retention). */
  public void deleteGroup(String group) {
    try (Admin admin = admin()) {
      admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes every consumer group whose name starts with {@code prefix}; returns their names. */
  public List<String> deleteGroupsStartingWith(String prefix) {
    try (Admin admin = admin()) {
      List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
          .map(group -> group.groupId()).filter(group -> group.startsWith(prefix)).toList();
      if (!groups.isEmpty()) {
        admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
      }
      return groups;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  @Override
  public void close() {
    broker.close();
  }
}
