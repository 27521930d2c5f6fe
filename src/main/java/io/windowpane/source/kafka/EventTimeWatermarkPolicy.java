package io.windowpane.source.kafka;

import io.windowpane.pipeline.DrainedWatermark;
import io.windowpane.pipeline.ParsedLine;
import io.windowpane.pipeline.PipelineMetrics;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Gauge;
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
 * <p>It never runs ahead of the wall clock: at most {@code now - maxOutOfOrderness}, however far ahead an event's time
 * is (a producer's clock ahead, data stamped in the future). Why: the job's watermark is the minimum over
 * partitions, so an event of another partition that is behind a far-ahead partition's watermark is on time only
 * while a slower partition holds the job's watermark back. When that partition's watermark jumps (a drain moves each
 * partition to {@link #DRAINED} in turn), the far-ahead partition's watermark became the job's, and such events still
 * on their way to the aggregation turned late: seen in a test where one record was ten minutes ahead and the next
 * record of its partition, a current one, became a dead letter during a drain. Events ahead of the clock still count
 * in their windows, which close once the clock has passed them.
 *
 * <p>Unlike Beam's {@code CustomTimestampPolicyWithLimitedDelay}, a partition that never had a record advances too.
 * The catch (DESIGN "Historic data is a trap"): once caught up, the watermark is near "now", so old records written
 * afterwards are late. Bounded re-reads therefore do not use this policy (see {@link KafkaEventSource}).
 *
 * <p>With a {@link DrainSignal} (the {@code UnboundedSource} reader on Flink, whose consumers stop fetching on a
 * drain: {@link DrainableConsumerFactory}), the watermark goes to {@link #DRAINED} once a drain was requested and no
 * record has come for {@link #DRAIN_QUIET}: the reader has handed over what it had fetched and every open window
 * fires its final pane, while the read goes on (idle), so that the job can still take the savepoint the next start
 * resumes from. The pause matters because a record handed over after the drained watermark would be dropped as late.
 * A partition resumed from a drained checkpoint starts again from no watermark.
 */
public final class EventTimeWatermarkPolicy extends TimestampPolicy<byte[], ParsedLine> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventTimeWatermarkPolicy.class);

  /** How long a drained partition must be quiet before its watermark goes to {@link #DRAINED}. */
  static final java.time.Duration DRAIN_QUIET = java.time.Duration.ofSeconds(1);

  /** A drained read's watermark: past every real window, short of the end of time ({@link DrainedWatermark}). */
  public static final Instant DRAINED = DrainedWatermark.VALUE;

  private final LongSupplier nanoClock;
  private final Clock wallClock;
  private final Duration maxOutOfOrderness;
  private final DrainSignal drain;
  /** Where the watermark is reported as a Beam metric ({@code agg.watermark.lag}), or null. */
  private final Gauge reported;
  private Instant newestEventTime;
  /**
   * Event times further ahead of the clock than this do not move the watermark (-1: no limit): such a record is a
   * dead letter ({@code agg.event.max-future}), where the value's time was refused before here already.
   */
  private long maxFutureMillis = -1;
  /** The last watermark given out (or resumed from): it never goes back, even if the wall clock does. */
  private Instant given;
  /** System.nanoTime() of the last record, and of the first look at a requested drain (0: not yet). */
  private long lastRecordNanos;
  private long drainSeenNanos;
  /** The partition this policy stamps (null in tests that need none), and the offset after its last record stamped. */
  private TopicPartition partition;
  private long nextStamped = -1;
  /** Why the read of this partition is drained; null while it is not. */
  private String drainedBy;

  EventTimeWatermarkPolicy(Duration maxOutOfOrderness, Optional<Instant> previousWatermark, DrainSignal drain,
      Gauge reported) {
    this(maxOutOfOrderness, previousWatermark, drain, reported, System::nanoTime, Clock.systemUTC());
  }

  /**
   * @param nanoClock what the drain's quiet period is timed with ({@code System::nanoTime}; a test's own clock)
   * @param wallClock what the watermark may not run ahead of
   */
  EventTimeWatermarkPolicy(Duration maxOutOfOrderness, Optional<Instant> previousWatermark, DrainSignal drain,
      Gauge reported, LongSupplier nanoClock, Clock wallClock) {
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.drain = drain;
    this.reported = reported;
    // Resuming from a checkpoint: the watermark must not go back; after a drain, every window has closed and the read
    // starts again from no watermark.
    Optional<Instant> resumed = previousWatermark.filter(w -> w.isBefore(DRAINED));
    this.newestEventTime = resumed.map(w -> w.plus(maxOutOfOrderness)).orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    this.given = resumed.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], ParsedLine> record) {
    lastRecordNanos = nanoClock.getAsLong();
    nextStamped = Math.max(nextStamped, record.getOffset() + 1);
    Long millis = RecordEventTime.eventTimeMillis(record);
    if (millis == null) {
      return new Instant(record.getTimestamp()); // no valid event: dead-lettered, never windowed
    }
    Instant timestamp = new Instant(millis);
    if (maxFutureMillis >= 0 && millis > wallClock.millis() + maxFutureMillis) {
      return timestamp; // a dead letter: kept from the watermark
    }
    if (timestamp.isAfter(newestEventTime)) {
      newestEventTime = timestamp;
    }
    return timestamp;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    Instant watermark = watermark(context);
    if (reported != null) {
      reported.set(watermark.getMillis());
    }
    return watermark;
  }

  private Instant watermark(PartitionContext context) {
    if (drained()) {
      return DRAINED;
    }
    Instant watermark = newestEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE.plus(maxOutOfOrderness))
        ? newestEventTime.minus(maxOutOfOrderness)
        : BoundedWindow.TIMESTAMP_MIN_VALUE;
    if (context.getMessageBacklog() == 0) {
      Instant idle = context.getBacklogCheckTime().minus(maxOutOfOrderness);
      if (idle.isAfter(watermark)) {
        watermark = idle;
      }
    }
    Instant ceiling = new Instant(wallClock.millis()).minus(maxOutOfOrderness);
    if (watermark.isAfter(ceiling)) {
      watermark = ceiling;
    }
    if (watermark.isAfter(given)) {
      given = watermark;
    }
    return given;
  }

  /**
   * Drained once the partition's consumer has stopped fetching and every record it fetched was stamped here
   * ({@link DrainHandOver}), however long that takes under backpressure. Where no drainable consumer of this JVM
   * reads the partition (not KafkaIO's {@code UnboundedSource} reader), once no record has come for
   * {@link #DRAIN_QUIET}.
   */
  private boolean drained() {
    if (drainedBy != null) {
      return true;
    }
    if (drain == null || !drain.requested()) {
      return false;
    }
    Boolean handedOver = partition == null ? null : DrainHandOver.handedOver(drain.path(), partition, nextStamped);
    if (handedOver != null) {
      return handedOver && drainedBy("every record its consumer fetched handed over, up to offset " + nextStamped);
    }
    long now = nanoClock.getAsLong();
    if (drainSeenNanos == 0) {
      drainSeenNanos = now;
    }
    return now - Math.max(drainSeenNanos, lastRecordNanos) >= DRAIN_QUIET.toNanos()
        && drainedBy("no record for " + DRAIN_QUIET.toMillis() + " ms (no drainable consumer of this JVM reads it)");
  }

  /** Notes (and logs once) why the partition's read is drained. */
  private boolean drainedBy(String why) {
    drainedBy = why;
    LOG.info("Kafka partition {} drained: {}", partition, why);
    return true;
  }

  /** Creates the policy for each partition a reader is assigned. */
  public static final class Factory implements TimestampPolicyFactory<byte[], ParsedLine> {

    /**
     * A savepoint holds the Kafka reader's spec, this factory included, Java-serialized: pinned to the value its
     * class had before it gained {@code maxFuture}, so that savepoints of earlier versions still restore (their
     * factory then has no max-future limit).
     */
    private static final long serialVersionUID = 5107451665225708393L;

    private final long maxOutOfOrdernessMillis;
    private final DrainSignal drain;
    private final boolean reportsWatermark;
    /** Event times further ahead of the clock than this do not move the watermark; null: no limit. */
    private final java.time.Duration maxFuture;

    public Factory(java.time.Duration maxOutOfOrderness, DrainSignal drain, boolean reportsWatermark) {
      this(maxOutOfOrderness, drain, reportsWatermark, null);
    }

    /**
     * @param drain ends the read when requested (see the class comment); {@code null} for none
     * @param reportsWatermark report each partition's watermark as a Beam gauge: for KafkaIO's splittable reader,
     *     which asks the policy while the step processes, where Beam metrics can be set. Flink's source asks from a
     *     timer, where they cannot (Beam logs an error then); Flink's REST API has the watermark instead.
     */
    public Factory(java.time.Duration maxOutOfOrderness, DrainSignal drain, boolean reportsWatermark,
        java.time.Duration maxFuture) {
      this.maxFuture = maxFuture;
      this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
      this.drain = drain;
      this.reportsWatermark = reportsWatermark;
    }

    @Override
    public TimestampPolicy<byte[], ParsedLine> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      EventTimeWatermarkPolicy policy = new EventTimeWatermarkPolicy(Duration.millis(maxOutOfOrdernessMillis),
          previousWatermark, drain, reportsWatermark ? PipelineMetrics.watermark(partition.toString()) : null);
      policy.maxFutureMillis = maxFuture == null ? -1 : maxFuture.toMillis();
      policy.partition = partition;
      return policy;
    }
  }
}
