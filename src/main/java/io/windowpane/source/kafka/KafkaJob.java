package io.windowpane.source.kafka;

import io.windowpane.config.AggProperties;
import io.windowpane.sink.KafkaTarget;
import io.windowpane.source.JobInput;
import io.windowpane.pipeline.EventMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A stream job's Kafka input and outputs, checked at startup: the source transform, and the topics rows and
 * rejected records are published to (when configured).
 */
public record KafkaJob(AggProperties.Kafka settings, KafkaConnection connection, KafkaTopics topics,
    List<Path> replayFiles, DrainSignal drain, KafkaEventSource.LiveReader liveReader, EventMapping mapping,
    Duration maxFuture) {

  /** The events the embedded demo replays when no replay file is given. */
  static final String BUILT_IN_SAMPLE = "classpath:samples/tutorial-events.jsonl";

  public KafkaJob {
    replayFiles = List.copyOf(replayFiles);
  }

  public JobInput input() {
    boolean bounded = settings.stopAt() == AggProperties.StopAt.END;
    String description = "Kafka topic " + settings.inputTopic() + " on " + connection.bootstrapServers()
        + (settings.embedded() ? " (embedded broker)" : "")
        + (bounded ? ", up to its end offsets at start" : ", live until stopped")
        + (replayFiles.isEmpty() ? "" : ", replaying " + replayFiles.size() + " file(s)");
    // a live read's values are read under the mapping, and those far ahead of the clock refused, by the reader
    // itself: it needs each record's event time for the watermark (a bounded read has no clock to compare with)
    java.util.Map<String, Object> consumer = new java.util.HashMap<>(connection.consumer());
    consumer.putAll(EventValueDeserializer.settings(mapping, bounded ? null : maxFuture));
    KafkaEventSource source = new KafkaEventSource(settings.inputTopic(), consumer,
        settings.maxOutOfOrderness(), bounded ? topics : null, drain, liveReader,
        new io.windowpane.pipeline.EventReader(mapping), bounded ? null : maxFuture);
    return new JobInput(description, source, replayFiles);
  }

  /** Where result rows are published besides the file or stdout; {@code null} when not configured. */
  public KafkaTarget resultsTopic() {
    return settings.outputTopic().isBlank() ? null : new KafkaTarget(settings.outputTopic(), connection.producer());
  }

  /** Where rejected records go instead of the dead-letter file; {@code null} when not configured. */
  public KafkaTarget deadLetterTopic() {
    return settings.deadLetterTopic().isBlank()
        ? null : new KafkaTarget(settings.deadLetterTopic(), connection.producer());
  }
}
