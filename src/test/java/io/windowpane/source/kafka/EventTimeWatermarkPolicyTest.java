package io.windowpane.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ParsedLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event time from the payload; watermark = newest event time - out-of-orderness, or processing time when idle. */
class EventTimeWatermarkPolicyTest {

  private static final java.time.Duration DELAY = java.time.Duration.ofSeconds(10);
  private static final Instant NOW = Instant.parse("2026-01-08T12:00:00Z");

  private final TimestampPolicy<byte[], ParsedLine> policy =
      new EventTimeWatermarkPolicy.Factory(DELAY, null, false).createTimestampPolicy(new TopicPartition("t", 0),
          Optional.empty());

  @TempDir Path dir;

  @Test
  void recordsAreStampedWithTheirEventTimeAndTheWatermarkTrailsTheNewest() {
    assertThat(policy.getTimestampForRecord(context(5, NOW), record(event(100), 1))).isEqualTo(at(100));
    assertThat(policy.getTimestampForRecord(context(4, NOW), record(event(70), 1))).isEqualTo(at(70));
    assertThat(policy.getWatermark(context(4, NOW))).isEqualTo(at(90));
    policy.getTimestampForRecord(context(3, NOW), record(event(130), 1));
    assertThat(policy.getWatermark(context(3, NOW))).isEqualTo(at(120));
  }

  @Test
  void anEmptyPartitionHoldsNothingBackOnceCaughtUp() {
    assertThat(policy.getWatermark(context(-1, NOW))).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    assertThat(policy.getWatermark(context(0, NOW))).isEqualTo(NOW.minus(org.joda.time.Duration.millis(10_000)));
  }

  @Test
  void aCaughtUpPartitionAdvancesWithProcessingTimeButNeverBackwards() {
    policy.getTimestampForRecord(context(0, NOW), record(event(100), 1));
    Instant earlier = at(50);
    assertThat(policy.getWatermark(context(0, earlier))).isEqualTo(at(90));
    assertThat(policy.getWatermark(context(1, NOW))).isEqualTo(at(90));
    assertThat(policy.getWatermark(context(0, at(200)))).isEqualTo(at(190));
  }

  @Test
  void anInvalidRecordKeepsItsKafkaTimestampAndDoesNotMoveTheWatermark() {
    assertThat(policy.getTimestampForRecord(context(1, NOW), record("not json", 777))).isEqualTo(new Instant(777));
    assertThat(policy.getWatermark(context(1, NOW))).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Test
  void aResumedPolicyStartsFromThePreviousWatermark() {
    TimestampPolicy<byte[], ParsedLine> resumed = new EventTimeWatermarkPolicy.Factory(DELAY, null, false)
        .createTimestampPolicy(new TopicPartition("t", 0), Optional.of(at(90)));
    assertThat(resumed.getWatermark(context(3, NOW))).isEqualTo(at(90));
  }

  /** Timed by the test's own clock: the quiet period is measured exactly, with no sleep and no slack. */
  @Test
  void aDrainMovesTheWatermarkPastEveryWindowOnceNoRecordHasComeForAWhile() {
    DrainSignal drain = new DrainSignal(dir.resolve("windowpane-drain-" + java.util.UUID.randomUUID()).toString());
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    long quiet = EventTimeWatermarkPolicy.DRAIN_QUIET.toNanos();
    EventTimeWatermarkPolicy drained = new EventTimeWatermarkPolicy(org.joda.time.Duration.millis(DELAY.toMillis()),
        Optional.empty(), drain, null, clock::get, java.time.Clock.systemUTC());
    drained.getTimestampForRecord(context(5, NOW), record(event(100), 1));
    assertThat(drained.getWatermark(context(5, NOW))).isEqualTo(at(90));

    drain.request();
    assertThat(drained.getWatermark(context(5, NOW))).as("just requested: records may still be handed over")
        .isEqualTo(at(90));
    clock.addAndGet(quiet / 2);
    drained.getTimestampForRecord(context(4, NOW), record(event(101), 1)); // one fetched before the drain
    clock.addAndGet(quiet - 1);
    assertThat(drained.getWatermark(context(4, NOW))).as("a record came a nanosecond less than the quiet time ago")
        .isEqualTo(at(91));
    clock.addAndGet(1);
    assertThat(drained.getWatermark(context(4, NOW))).as("quiet for the whole period")
        .isEqualTo(EventTimeWatermarkPolicy.DRAINED);
    assertThat(EventTimeWatermarkPolicy.DRAINED).as("past every real window, short of the end: the read goes on")
        .isGreaterThan(at(4_102_444_800L)).isLessThan(GlobalWindow.INSTANCE.maxTimestamp());
  }

  /**
   * An event ahead of the clock counts, but the watermark waits for the clock: else the job's watermark would jump to
   * this partition's once the others' jump (a drain), and events of the others still on their way would turn late.
   */
  @Test
  void theWatermarkNeverRunsAheadOfTheWallClock() {
    java.time.Instant wall = java.time.Instant.ofEpochSecond(1_000);
    MutableClock clock = new MutableClock(wall);
    EventTimeWatermarkPolicy ahead = new EventTimeWatermarkPolicy(org.joda.time.Duration.millis(DELAY.toMillis()),
        Optional.empty(), null, null, System::nanoTime, clock);
    assertThat(ahead.getTimestampForRecord(context(0, at(1_000)), record(event(1_600), 1)))
        .as("stamped with its own time, ten minutes ahead").isEqualTo(at(1_600));
    assertThat(ahead.getWatermark(context(0, at(1_000)))).isEqualTo(at(990));
    clock.now = wall.plusSeconds(60);
    assertThat(ahead.getWatermark(context(5, at(1_000)))).as("follows the clock while behind the events")
        .isEqualTo(at(1_050));
    clock.now = wall.plusSeconds(3_600);
    assertThat(ahead.getWatermark(context(5, at(1_000)))).as("the events' own watermark, once the clock passed them")
        .isEqualTo(at(1_590));
    clock.now = wall;
    assertThat(ahead.getWatermark(context(5, at(1_000)))).as("a clock set back never moves it back")
        .isEqualTo(at(1_590));
  }

  @Test
  void aResumedWatermarkAheadOfTheClockIsKept() {
    EventTimeWatermarkPolicy resumed = new EventTimeWatermarkPolicy(org.joda.time.Duration.millis(DELAY.toMillis()),
        Optional.of(at(1_590)), null, null, System::nanoTime, new MutableClock(java.time.Instant.ofEpochSecond(1_000)));
    assertThat(resumed.getWatermark(context(0, at(1_000)))).isEqualTo(at(1_590));
  }

  /**
   * Issue 34 item 7: on Flink the drained watermark waits for what the partition's consumer fetched, not for a quiet
   * second: records fetched before the drain and held up on their way for however long (backpressure) are stamped
   * before the watermark passes their windows. No clock is involved.
   */
  @Test
  void aDrainWaitsUntilTheConsumerHasStoppedAndEveryRecordItFetchedWasStamped() {
    DrainSignal drain = new DrainSignal(dir.resolve("windowpane-drain-" + java.util.UUID.randomUUID()).toString());
    TopicPartition partition = new TopicPartition("t", 3);
    TimestampPolicy<byte[], ParsedLine> drained = new EventTimeWatermarkPolicy.Factory(DELAY, drain, false)
        .createTimestampPolicy(partition, Optional.empty());
    DrainHandOver.started(drain.path(), java.util.List.of(partition));
    DrainHandOver.fetched(drain.path(), fetched(partition, 10, 11, 12));
    drained.getTimestampForRecord(context(5, NOW), record(event(100), 10, 1));

    drain.request();
    assertThat(drained.getWatermark(context(5, NOW))).as("the consumer may still be fetching").isEqualTo(at(90));
    DrainHandOver.stopped(drain.path(), java.util.List.of(partition));
    assertThat(drained.getWatermark(context(5, NOW))).as("11 and 12 fetched, not stamped yet").isEqualTo(at(90));
    drained.getTimestampForRecord(context(5, NOW), record(event(101), 11, 1));
    assertThat(drained.getWatermark(context(5, NOW))).isEqualTo(at(91));
    drained.getTimestampForRecord(context(5, NOW), record(event(102), 12, 1));
    assertThat(drained.getWatermark(context(5, NOW))).isEqualTo(EventTimeWatermarkPolicy.DRAINED);
  }

  /** A partition its consumer never fetched from is drained once the consumer has stopped. */
  @Test
  void anEmptyPartitionIsDrainedOnceItsConsumerHasStopped() {
    DrainSignal drain = new DrainSignal(dir.resolve("windowpane-drain-" + java.util.UUID.randomUUID()).toString());
    TopicPartition partition = new TopicPartition("t", 4);
    TimestampPolicy<byte[], ParsedLine> empty = new EventTimeWatermarkPolicy.Factory(DELAY, drain, false)
        .createTimestampPolicy(partition, Optional.empty());
    DrainHandOver.started(drain.path(), java.util.List.of(partition));
    drain.request();
    assertThat(empty.getWatermark(context(0, NOW))).isNotEqualTo(EventTimeWatermarkPolicy.DRAINED);
    DrainHandOver.stopped(drain.path(), java.util.List.of(partition));
    assertThat(empty.getWatermark(context(0, NOW))).isEqualTo(EventTimeWatermarkPolicy.DRAINED);
  }

  private static org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> fetched(TopicPartition partition,
      long... offsets) {
    java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
        java.util.Arrays.stream(offsets).mapToObj(offset -> new org.apache.kafka.clients.consumer.ConsumerRecord<>(
            partition.topic(), partition.partition(), offset, new byte[0], new byte[0])).toList();
    return new org.apache.kafka.clients.consumer.ConsumerRecords<>(java.util.Map.of(partition, records));
  }

  @Test
  void aPartitionResumedFromADrainedCheckpointStartsAgainFromNoWatermark() {
    TimestampPolicy<byte[], ParsedLine> resumed = new EventTimeWatermarkPolicy.Factory(DELAY, null, false)
        .createTimestampPolicy(new TopicPartition("t", 0), Optional.of(EventTimeWatermarkPolicy.DRAINED));
    assertThat(resumed.getWatermark(context(5, NOW))).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    resumed.getTimestampForRecord(context(5, NOW), record(event(100), 1));
    assertThat(resumed.getWatermark(context(5, NOW))).isEqualTo(at(90));
  }

  private static Instant at(long seconds) {
    return new Instant(seconds * 1000);
  }

  private static String event(long seconds) {
    return "{\"user_id\":\"u1\",\"amount\":1,\"event_time\":" + seconds + "}";
  }

  /** A record as the reader hands it over: its value parsed once ({@link EventValueDeserializer}). */
  private static KafkaRecord<byte[], ParsedLine> record(String value, long kafkaTimestamp) {
    return record(value, 0, kafkaTimestamp);
  }

  private static KafkaRecord<byte[], ParsedLine> record(String value, long offset, long kafkaTimestamp) {
    return new KafkaRecord<>("t", 0, offset, kafkaTimestamp, KafkaTimestampType.CREATE_TIME, null, null,
        new EventValueDeserializer().deserialize("t", value.getBytes(StandardCharsets.UTF_8)));
  }

  private static TimestampPolicy.PartitionContext context(long backlog, Instant checkTime) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkTime;
      }
    };
  }

  /** A wall clock the test sets. */
  private static final class MutableClock extends java.time.Clock {
    private java.time.Instant now;

    MutableClock(java.time.Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }
}
