package io.windowpane.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka topic that {@link ExactlyOnceLines} publishes batches to, each in one transaction: the records and the
 * batch's number (kept as the committed offset metadata of a consumer group named after the run, as Beam's own
 * exactly-once Kafka sink keeps its sequence ids) commit together or not at all. Readers with
 * {@code isolation.level=read_committed} see each record once. The transactional id is the group's, so a restarted
 * writer fences off (and aborts the open transaction of) the one before it.
 *
 * <p>The group's metadata can vanish while the job is stopped: the broker expires it after
 * {@code offsets.retention.minutes} (7 days by default), and operators delete idle groups. So every record also
 * carries its run and batch in a {@value #BATCH_HEADER} header, and where the group holds none, the last committed
 * batch is read back from the topic itself ({@link #readBatchFromTopic}): the idempotence lasts as long as the
 * records do.
 */
record KafkaTopicCommitter(String topic, Map<String, Object> producerConfig, String group) implements LineCommitter {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicCommitter.class);

  /** The header that says which run and batch a record was published in: {@code <run>/<batch>}. */
  static final String BATCH_HEADER = "windowpane-batch";
  /** How many records per partition a read-back looks through, from the end, for one of this run. */
  static final int READ_BACK_LIMIT = 100_000;
  private static final Duration READ_BACK_TIMEOUT = Duration.ofSeconds(60);

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
      long committed = readCommittedBatch();
      return new OpenTopic(producer, run, committed >= 0 ? committed : readBatchFromTopic(run));
    } catch (KafkaException e) {
      producer.close();
      throw new IOException("cannot open a transactional producer for topic " + topic + ": " + e.getMessage(), e);
    }
  }

  /** The batch number the group's committed metadata holds, or -1. */
  private long readCommittedBatch() {
    Map<String, Object> config = consumerConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<String, String> consumer = consumer(config)) {
      OffsetAndMetadata committed = consumer.committed(Set.of(partition())).get(partition());
      return committed == null || committed.metadata().isEmpty() ? -1 : Long.parseLong(committed.metadata());
    }
  }

  /**
   * The highest batch of {@code run} in the topic's committed records (read_committed), looking back from each
   * partition's end through at most {@link #READ_BACK_LIMIT} records; -1 when there is none. A run's records are
   * published in batch order, so the first one of the run found from a partition's end is its last there.
   */
  long readBatchFromTopic(String run) throws IOException {
    return readBatchFromTopic(run, READ_BACK_LIMIT);
  }

  /** As {@link #readBatchFromTopic(String)}, looking back through at most {@code limit} records per partition. */
  long readBatchFromTopic(String run, long limit) throws IOException {
    Map<String, Object> config = consumerConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    String prefix = run + "/";
    long highest = -1;
    try (KafkaConsumer<String, String> consumer = consumer(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      Map<TopicPartition, Long> ends = stableEnds(consumer, partitions);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        highest = Math.max(highest, lastBatchIn(consumer, partition, begins.get(partition), ends.get(partition),
            prefix, limit));
      }
    }
    if (highest >= 0) {
      LOG.info("Topic {}: the last batch of this run is {} (read back from its records' {} headers)", topic, highest,
          BATCH_HEADER);
    }
    return highest;
  }

  /**
   * The partitions' ends as a read_committed reader sees them, once no open transaction holds them back: another
   * writer's transaction still open keeps the committed end below this run's last batches, which would then be
   * published again. Waits for such transactions to end; refuses after {@link #READ_BACK_TIMEOUT}.
   */
  private Map<TopicPartition, Long> stableEnds(KafkaConsumer<String, String> committedReader,
      List<TopicPartition> partitions) throws IOException {
    Map<String, Object> config = consumerConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    long deadline = System.nanoTime() + READ_BACK_TIMEOUT.toNanos();
    try (KafkaConsumer<String, String> uncommittedReader = consumer(config)) {
      while (true) {
        Map<TopicPartition, Long> stable = committedReader.endOffsets(partitions);
        if (stable.equals(uncommittedReader.endOffsets(partitions))) {
          return stable;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("an open transaction of another writer on topic " + topic + " did not end within "
              + READ_BACK_TIMEOUT.toSeconds() + " s: the last batch published cannot be read back");
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while reading back the last batch published to " + topic, e);
        }
      }
    }
  }

  /** The last batch of the run in one partition, reading back from its end in growing steps. */
  private static long lastBatchIn(KafkaConsumer<String, String> consumer, TopicPartition partition, long begin,
      long end, String prefix, long limit) throws IOException {
    consumer.assign(List.of(partition));
    long deadline = System.nanoTime() + READ_BACK_TIMEOUT.toNanos();
    long to = end;
    for (long step = 64; to > begin && end - to < limit; step *= 4) {
      long from = Math.max(begin, Math.max(to - step, end - limit));
      consumer.seek(partition, from);
      long found = -1;
      while (consumer.position(partition) < to) {
        if (System.nanoTime() > deadline) {
          throw new IOException("cannot read back the last batch published to " + partition + " within "
              + READ_BACK_TIMEOUT.toSeconds() + " s: publishing again could write rows twice");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() >= to) {
            break;
          }
          Header header = record.headers().lastHeader(BATCH_HEADER);
          String value = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
          if (value.startsWith(prefix)) {
            found = Math.max(found, Long.parseLong(value.substring(prefix.length())));
          }
        }
      }
      if (found >= 0) {
        return found;
      }
      to = from;
    }
    return -1;
  }

  private static KafkaConsumer<String, String> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** The producer's settings a consumer takes too (the cluster, its security), without auto-commit. */
  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    Set<String> consumerKeys = ConsumerConfig.configNames();
    producerConfig.forEach((key, value) -> {
      if (consumerKeys.contains(key)) {
        config.put(key, value);
      }
    });
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  private TopicPartition partition() {
    return new TopicPartition(topic, 0);
  }

  private final class OpenTopic implements Open {

    private final KafkaProducer<String, String> producer;
    private final String run;
    private long lastCommitted;

    OpenTopic(KafkaProducer<String, String> producer, String run, long lastCommitted) {
      this.producer = producer;
      this.run = run;
      this.lastCommitted = lastCommitted;
    }

    @Override
    public long lastCommitted() {
      return lastCommitted;
    }

    /**
     * A read-back that stopped at its limit (more than {@link #READ_BACK_LIMIT} records of other writers after this
     * run's last batch) found nothing, where the restored checkpoint shows this run has published: the whole topic is
     * read back then, within the read-back's time limit.
     */
    @Override
    public void committedBefore(long batch) throws IOException {
      if (lastCommitted >= batch - 1) {
        return;
      }
      long found = readBatchFromTopic(run, Long.MAX_VALUE);
      if (found < batch - 1) {
        LOG.warn("Topic {}: batch {} of this run was published, but no record of it is left (deleted by the"
            + " topic's retention?): the batches from {} on are taken for unpublished", topic, batch - 1, batch);
      }
      lastCommitted = Math.max(found, batch - 1);
    }

    @Override
    public void commit(long batch, List<KV<String, String>> lines) throws IOException {
      if (batch <= lastCommitted) {
        return;
      }
      try {
        producer.beginTransaction();
        byte[] header = (run + "/" + batch).getBytes(StandardCharsets.UTF_8);
        for (KV<String, String> line : lines) {
          ProducerRecord<String, String> record = new ProducerRecord<>(topic, line.getKey(), line.getValue());
          record.headers().add(BATCH_HEADER, header);
          producer.send(record);
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
