package io.windowpane.source.kafka;

import io.windowpane.source.InputDrain;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;

/**
 * Drains a live Kafka read ({@link InputDrain}): on request a marker file appears. On the DirectRunner, KafkaIO's
 * splittable reader, which asks {@link StopReading} before each poll, stops every partition, the read's watermark goes
 * to the end and the job ends; on Flink, the reader's consumers stop fetching ({@link DrainableConsumerFactory}) and
 * the watermark goes past every window ({@link EventTimeWatermarkPolicy#DRAINED}), and the job runner then stops the
 * job with a savepoint. Either way every open window fires its final pane, so the records read before a shutdown are
 * all in the results. A file rather than an in-memory flag, because the reader is serialized to the runner's workers:
 * it works wherever the workers share this machine's temporary directory (DirectRunner, embedded Flink, a cluster on
 * this host); elsewhere the drain does not get through and the job stops with its open windows kept.
 *
 * @param path the marker file; absent until a drain is requested
 */
public record DrainSignal(String path) implements InputDrain, Serializable {

  /**
   * A signal for one job. A checkpointed run's is named after the run: its readers are restored from the checkpoint
   * with the signal they were built with, so the run keeps one signal across restarts (cleared when a start takes it).
   *
   * @param run the checkpointed run, or {@code null}
   */
  public static DrainSignal create(String run) {
    Path marker = Path.of(System.getProperty("java.io.tmpdir"),
        "windowpane-drain-" + (run == null ? UUID.randomUUID().toString() : run));
    marker.toFile().deleteOnExit();
    DrainSignal signal = new DrainSignal(marker.toString());
    signal.clear(); // left by a drain of this run that a crash cut short
    return signal;
  }

  @Override
  public void request() {
    try {
      Files.writeString(Path.of(path), "drain\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot request the drain of the Kafka read", e);
    }
  }

  @Override
  public Instant drainedWatermark() {
    return EventTimeWatermarkPolicy.DRAINED;
  }

  /**
   * Whether a drain was requested: the marker at its path, or under the same name in this JVM's temporary folder. A
   * reader restored from a checkpoint holds the path of the run that first built it, whose temporary folder may have
   * been another ({@code java.io.tmpdir} changed between starts, as the tests' processes each have their own); the
   * name, which holds the run's id, is the same.
   */
  public boolean requested() {
    Path marker = Path.of(path);
    return Files.exists(marker)
        || Files.exists(Path.of(System.getProperty("java.io.tmpdir")).resolve(marker.getFileName()));
  }

  /** Removes the marker (the job has ended). */
  public void clear() {
    try {
      Files.deleteIfExists(Path.of(path));
    } catch (IOException e) {
      // deleted on exit anyway
    }
  }

  /** KafkaIO's stop check: true for every partition once a drain was requested. */
  record StopReading(DrainSignal signal) implements SerializableFunction<TopicPartition, Boolean> {
    @Override
    public Boolean apply(TopicPartition partition) {
      return signal.requested();
    }
  }
}
