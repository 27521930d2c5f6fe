package io.windowpane.testing;

import static io.windowpane.testing.Rows.T0;

import io.windowpane.pipeline.LineChunk;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/** Event lines for TestStreams, at seconds after {@link Rows#T0}, stamped with their event time. */
public final class TestEvents {

  private TestEvents() {}

  /** An event line at {@code seconds} after T0, stamped with its event time as the scenario source does. */
  public static TimestampedValue<LineChunk> event(String user, double amount, double seconds) {
    long millis = T0.toEpochMilli() + Math.round(seconds * 1000);
    String line = String.format("{\"user_id\":\"%s\",\"amount\":%s,\"event_time\":\"%s\"}", user, amount,
        java.time.Instant.ofEpochMilli(millis));
    return TimestampedValue.of(LineChunk.of("test", line), new Instant(millis));
  }

  /** The instant {@code seconds} after T0. */
  public static Instant at(double seconds) {
    return new Instant(T0.toEpochMilli() + Math.round(seconds * 1000));
  }
}
