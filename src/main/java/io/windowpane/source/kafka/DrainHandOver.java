package io.windowpane.source.kafka;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * What a drained read's consumers fetched, for the watermark policy to know when the reader has handed all of it over
 * (issue 34 item 7). Per partition of a drain: the offset after the last record its consumer fetched, and whether
 * that consumer has stopped (it answered a poll after the drain was requested with nothing, so no poll that could
 * still bring records is under way). {@link EventTimeWatermarkPolicy} lets the watermark pass every window only once
 * the records it stamped reach that offset: a record fetched before the drain and held up on its way (the reader's
 * hand-over blocked by backpressure, however long) is never overtaken by the drained watermark and dropped as late.
 *
 * <p>Held per worker JVM: KafkaIO builds the consumer ({@link DrainableConsumerFactory}) and the policy apart, each
 * from its own serialized copy, and they meet only here, keyed by the drain's marker and the partition. A consumer
 * resets its partitions on its first poll, so a restarted reader's start is not mixed with an earlier attempt's.
 */
final class DrainHandOver {

  /** Fetched up to {@code next} (exclusive; -1: nothing yet), and whether the consumer has stopped fetching. */
  private record Fetched(long next, boolean stopped) {}

  private record Key(String drain, TopicPartition partition) {}

  private static final ConcurrentMap<Key, Fetched> PARTITIONS = new ConcurrentHashMap<>();

  private DrainHandOver() {}

  /** A consumer's first poll: its partitions start again. */
  static void started(String drain, Collection<TopicPartition> partitions) {
    partitions.forEach(partition -> PARTITIONS.put(new Key(drain, partition), new Fetched(-1, false)));
  }

  /** What a poll returned. */
  static void fetched(String drain, ConsumerRecords<?, ?> records) {
    for (TopicPartition partition : records.partitions()) {
      var inPartition = records.records(partition);
      long next = inPartition.get(inPartition.size() - 1).offset() + 1;
      PARTITIONS.merge(new Key(drain, partition), new Fetched(next, false),
          (before, now) -> new Fetched(Math.max(before.next(), now.next()), before.stopped()));
    }
  }

  /** The consumer answered a poll after the drain with nothing: everything it will fetch, it has. */
  static void stopped(String drain, Collection<TopicPartition> partitions) {
    partitions.forEach(partition -> PARTITIONS.merge(new Key(drain, partition), new Fetched(-1, true),
        (before, now) -> new Fetched(before.next(), true)));
  }

  /**
   * Whether the partition's consumer has stopped and every record it fetched was stamped ({@code nextStamped}: the
   * offset after the last one); null when no drainable consumer of this JVM reads the partition (the caller then
   * falls back to a quiet period).
   */
  static Boolean handedOver(String drain, TopicPartition partition, long nextStamped) {
    Fetched fetched = PARTITIONS.get(new Key(drain, partition));
    if (fetched == null) {
      return null;
    }
    return fetched.stopped() && nextStamped >= fetched.next();
  }
}
