package io.windowpane.source.kafka;

import io.windowpane.pipeline.Coders;
import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.EventReader;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.ParseEvents;
import io.windowpane.pipeline.ParseTally;
import io.windowpane.pipeline.ParsedLine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unbounded source: JSON events from a Kafka topic, one per record value (SPEC section 9), parsed once, by the
 * reader ({@link EventValueDeserializer}), which needs each record's event time for the watermark. Its outputs are
 * those of {@link ParseEvents}: the events ({@link ParseEvents#VALID}), stamped with their event time, and the records
 * that are no events ({@link ParseEvents#INVALID}), with their partition and offset; counted alike
 * ({@link ParseTally}).
 *
 * <p>Two reads, one output:
 * <ul>
 *   <li><b>live</b> ({@code stop-at=never}): Beam's {@link KafkaIO#read()} with the {@link EventTimeWatermarkPolicy}
 *       (event time minus the allowed out-of-orderness; processing time on caught-up partitions), by the
 *       {@link LiveReader} that works on the job's runner.
 *   <li><b>bounded</b> ({@code stop-at=end}): {@link KafkaIO#readSourceDescriptors()} over every partition from the
 *       group's position up to the end offsets {@link KafkaTopics} found when the job started. The watermark is held
 *       at its minimum until every partition is read, then goes to the end: nothing is late and every window's final
 *       pane holds the same totals as a batch run on the same events, however the topic's events are ordered.
 * </ul>
 */
public class KafkaEventSource extends PTransform<PBegin, PCollectionTuple> {

  /**
   * KafkaIO's two readers of a live topic. Each runner gets the one that works there (README, Known limitations):
   * the same records, event times and watermark policy either way.
   */
  public enum LiveReader {
    /**
     * The splittable-DoFn reader, for the DirectRunner: drained by KafkaIO's stop check before each poll, and its
     * consumer's committed position is always the record after the last one handed to the runner.
     */
    SPLITTABLE_DOFN,
    /**
     * The {@code UnboundedSource} reader, for Flink, where it runs as a Flink source that sends its watermark every
     * 200 ms. (Flink's operator for splittable DoFns does not pass on the splittable reader's watermark while the
     * reader keeps resuming itself, so live panes never fired there.) Drained through its consumers and watermark
     * policy: {@link DrainableConsumerFactory}.
     */
    UNBOUNDED_SOURCE
  }

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
  /** Keys are often absent and values may be (tombstones): both travel as nullable bytes. */
  private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());
  private static final Coder<ParsedLine> NULLABLE_VALUE = NullableCoder.of(Coders.PARSED_LINE);

  private final String topic;
  private final HashMap<String, Object> consumerConfig;
  private final java.time.Duration maxOutOfOrderness;
  /** Asked for the end offsets when the pipeline is built (after a replay was published); null for a live read. */
  private final transient KafkaTopics boundedBy;

  /** Stops a live read on shutdown, so that its open windows fire. */
  private final DrainSignal drain;
  private final LiveReader liveReader;
  /** Reads a record's value again with the record's own key and timestamp ({@code @key}, {@code @timestamp}). */
  private final EventReader reader;
  /** A live read: an event further ahead of the clock is a dead letter; null for a bounded read. */
  private final java.time.Duration maxFuture;

  /**
   * @param boundedBy where to ask for the end offsets a bounded read stops at; {@code null} for a live read
   * @param drain what a live read checks to stop on shutdown
   * @param liveReader KafkaIO's reader for a live read
   */
  public KafkaEventSource(String topic, Map<String, Object> consumerConfig, java.time.Duration maxOutOfOrderness,
      KafkaTopics boundedBy, DrainSignal drain, LiveReader liveReader) {
    this(topic, consumerConfig, maxOutOfOrderness, boundedBy, drain, liveReader, new EventReader(EventMapping.DEFAULT),
        null);
  }

  /**
   * @param reader reads the values under the job's mapping (the consumer's deserializer reads them too: its settings
   *     must hold the same mapping, {@link EventValueDeserializer#settings})
   * @param maxFuture a live read's limit on event times ahead of the clock; null for none
   */
  public KafkaEventSource(String topic, Map<String, Object> consumerConfig, java.time.Duration maxOutOfOrderness,
      KafkaTopics boundedBy, DrainSignal drain, LiveReader liveReader, EventReader reader,
      java.time.Duration maxFuture) {
    this.reader = reader;
    this.maxFuture = maxFuture;
    this.drain = drain;
    this.liveReader = liveReader;
    this.topic = topic;
    this.consumerConfig = new HashMap<>(consumerConfig);
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.boundedBy = boundedBy;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollection<KafkaRecord<byte[], ParsedLine>> records = boundedBy == null ? readLive(begin) : readToEnd(begin);
    PCollectionTuple events = records.apply("RecordsToEvents",
        ParDo.of(new RecordToEventFn(boundedBy == null,
            reader.mapping().readsRecordFields() ? reader : null, maxFuture)).withOutputTags(ParseEvents.VALID, TupleTagList.of(ParseEvents.INVALID)));
    events.get(ParseEvents.VALID).setCoder(Coders.EVENT);
    events.get(ParseEvents.INVALID).setCoder(Coders.INVALID_LINE);
    return events;
  }

  private PCollection<KafkaRecord<byte[], ParsedLine>> readLive(PBegin begin) {
    KafkaIO.Read<byte[], ParsedLine> read = KafkaIO.<byte[], ParsedLine>read()
        .withTopic(topic)
        .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NULLABLE_BYTES)
        .withValueDeserializerAndCoder(EventValueDeserializer.class, NULLABLE_VALUE);
    if (liveReader == LiveReader.UNBOUNDED_SOURCE) {
      // KafkaIO picks this reader on Flink by itself (no use_sdf_read, no stop check). Its positions are part of the
      // job's checkpoints; the group's offsets are committed only when a checkpoint completes, never ahead of the
      // state that holds the records (Kafka's auto-commit commits whatever a poll returned: lost on a crash).
      return begin.apply("ReadKafka", read
          .withConsumerConfigUpdates(withoutAutoCommit(consumerConfig))
          .commitOffsetsInFinalize()
          .withConsumerFactoryFn(new DrainableConsumerFactory(drain))
          .withTimestampPolicyFactory(new EventTimeWatermarkPolicy.Factory(maxOutOfOrderness, drain, false, maxFuture)));
    }
    // The DirectRunner keeps no checkpoints: the consumer commits the position after the records it handed to the
    // runner, every second and when it closes. (KafkaIO's own commit step commits the highest offset of each
    // five-minute window of element timestamps; with event-time timestamps in any order, a later commit can be lower
    // than an earlier one.)
    Map<String, Object> autoCommit = new HashMap<>(consumerConfig);
    autoCommit.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
    autoCommit.putIfAbsent(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 1000);
    ExperimentalOptions.addExperiment(begin.getPipeline().getOptions().as(ExperimentalOptions.class), "use_sdf_read");
    return begin.apply("ReadKafka", read
        .withConsumerConfigUpdates(autoCommit)
        .withTimestampPolicyFactory(new EventTimeWatermarkPolicy.Factory(maxOutOfOrderness, null, true, maxFuture))
        .withCheckStopReadingFn(new DrainSignal.StopReading(drain)));
  }

  /**
   * The consumer settings with Kafka's auto-commit off: for a checkpointed read, and for a bounded re-read, which
   * starts at the group's committed offsets but never moves them (a live job may own the group).
   */
  private static Map<String, Object> withoutAutoCommit(Map<String, Object> config) {
    Map<String, Object> updated = new HashMap<>(config);
    updated.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return updated;
  }

  private PCollection<KafkaRecord<byte[], ParsedLine>> readToEnd(PBegin begin) {
    KafkaTopics.EndOffsets endOffsets = boundedBy.endOffsets("agg.kafka.input-topic", topic);
    LOG.info("Reading topic {} up to its end offsets at start: {}", topic, endOffsets.partitions().stream()
        .map(p -> p.partition() + "@" + p.endOffset()).toList());
    List<KafkaSourceDescriptor> partitions = endOffsets.partitions().stream()
        .map(p -> KafkaSourceDescriptor.of(p.topicPartition(), null, null, p.endOffset(), null, null))
        .toList();
    return begin
        .apply("EndOffsetsAtStart", Create.of(partitions))
        .apply("ReadKafkaToEnd", KafkaIO.<byte[], ParsedLine>readSourceDescriptors()
            .withConsumerConfigUpdates(withoutAutoCommit(consumerConfig))
            .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NULLABLE_BYTES)
            .withValueDeserializerAndCoder(EventValueDeserializer.class, NULLABLE_VALUE)
            .withExtractOutputTimestampFn(new RecordEventTime())
            .withCreatWatermarkEstimatorFn(new HoldWatermarkUntilDone()));
  }

  /**
   * A bounded read's watermark: at the minimum while partitions are read, so no element is late; Beam moves it to
   * the end once every partition's offset range is done.
   */
  static final class HoldWatermarkUntilDone implements SerializableFunction<Instant, WatermarkEstimator<Instant>> {
    @Override
    public WatermarkEstimator<Instant> apply(Instant state) {
      return new WatermarkEstimators.Manual(BoundedWindow.TIMESTAMP_MIN_VALUE);
    }
  }

  /**
   * A parsed record to an event, stamped with its event time (already the element's timestamp: the reader set it),
   * or to a dead letter from {@code kafka:<topic>/<partition>} at the record's offset. Blank values are skipped.
   */
  static final class RecordToEventFn extends DoFn<KafkaRecord<byte[], ParsedLine>, Event> {

    private final boolean keepOrigins;
    private final EventReader recordFieldsReader;
    private final java.time.Duration maxFuture;
    private transient ParseTally tally;

    /** @param keepOrigins for a live read, whose events may come too late (see {@link ParseEvents#keepingOrigins}) */
    RecordToEventFn(boolean keepOrigins) {
      this(keepOrigins, null, null);
    }

    /**
     * @param recordFieldsReader reads a value again with its record's key and timestamp, where the mapping names
     *     {@code @key} or {@code @timestamp}; else null
     * @param maxFuture a live read's limit on event times ahead of the clock (the deserializer applied it to times
     *     in the value; here it applies to record timestamps); null for none
     */
    RecordToEventFn(boolean keepOrigins, EventReader recordFieldsReader, java.time.Duration maxFuture) {
      this.keepOrigins = keepOrigins;
      this.recordFieldsReader = recordFieldsReader;
      this.maxFuture = maxFuture;
    }

    @Setup
    public void setup() {
      tally = new ParseTally();
    }

    @ProcessElement
    public void processElement(@Element KafkaRecord<byte[], ParsedLine> record, MultiOutputReceiver out) {
      ParsedLine value = record.getKV().getValue();
      if (value == null) { // a tombstone, nothing to parse
        return;
      }
      if (recordFieldsReader != null && value.event() != null) {
        byte[] key = record.getKV().getKey();
        value = recordFieldsReader.parseJson(value.line(), new EventReader.RecordFields(
            key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8), record.getTimestamp(),
            true));
        if (maxFuture != null) {
          value = EventValueDeserializer.withinMaxFuture(value, maxFuture, java.time.Instant.now());
        }
      }
      ParseEvents.emit(value, origin(record), record.getOffset(), keepOrigins, tally, out);
    }

    @FinishBundle
    public void finishBundle() {
      tally.flush();
    }

    static String origin(KafkaRecord<?, ?> record) {
      return "kafka:" + record.getTopic() + "/" + record.getPartition();
    }
  }
}
