package io.windowpane.source.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time and watermark of one Kafka partition for a live read (SPEC section 9): records are stamped with their
 * payload's {@code event_time}; the watermark trails the newest event time seen by {@code maxOutOfOrderness}. When
 * the reader has caught up with the partition (backlog 0), the watermark also advances with processing time, to
 * {@code now - maxOutOfOrderness}, so the last windows fire on a quiet topic and an empty partition does not hold the
 * job's watermark (the minimum over partitions) back forever.
 *
 * <p>Unlike Beam's {@code CustomTimestampPolicyWithLimitedDelay}, a partition that never had a record advances too.
 * The catch (DESIGN "Historic data is a trap"): once caught up, the watermark is near "now", so old records written
 * afterwards are late. Bounded re-reads therefore do not use this policy (see {@link KafkaEventSource}).
 */
public final class EventTimeWatermarkPolicy extends TimestampPolicy<byte[], byte[]> {

  private final Duration maxOutOfOrderness;
  private Instant newestEventTime;

  EventTimeWatermarkPolicy(Duration maxOutOfOrderness, Optional<Instant> previousWatermark) {
    this.maxOutOfOrderness = maxOutOfOrderness;
    // Resuming from a checkpoint: the watermark must not go back.
    this.newestEventTime = previousWatermark.map(w -> w.plus(maxOutOfOrderness)).orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], byte[]> record) {
    Long millis = RecordEventTime.eventTimeMillis(record.getKV().getValue());
    if (millis == null) {
      return new Instant(record.getTimestamp()); // no valid event: dead-lettered, never windowed
    }
    Instant timestamp = new Instant(millis);
    if (timestamp.isAfter(newestEventTime)) {
      newestEventTime = timestamp;
    }
    return timestamp;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    Instant watermark = newestEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE.plus(maxOutOfOrderness))
        ? newestEventTime.minus(maxOutOfOrderness)
        : BoundedWindow.TIMESTAMP_MIN_VALUE;
    if (context.getMessageBacklog() == 0) {
      Instant idle = context.getBacklogCheckTime().minus(maxOutOfOrderness);
      if (idle.isAfter(watermark)) {
        watermark = idle;
      }
    }
    return watermark;
  }

  /** Creates the policy for each partition a reader is assigned. */
  public static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {

    private final long maxOutOfOrdernessMillis;

    public Factory(java.time.Duration maxOutOfOrderness) {
      this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new EventTimeWatermarkPolicy(Duration.millis(maxOutOfOrdernessMillis), previousWatermark);
    }
  }
}
