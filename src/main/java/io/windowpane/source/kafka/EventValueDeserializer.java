package io.windowpane.source.kafka;

import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.EventReader;
import io.windowpane.pipeline.ParsedLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka's side of the one parse of a record value: KafkaIO's reader calls it for each record it fetched, under the
 * job's event mapping (SPEC section 14; Kafka values are JSON). Bytes that are not valid UTF-8 decode to U+FFFD,
 * which the parser rejects, so such a record is dead-lettered instead of aggregated under a mangled key.
 *
 * <p>For a live read, an event whose time is more than {@code agg.event.max-future} ahead of the wall clock when it
 * is read is refused here, before the watermark policy sees its time: one epoch-millisecond time read as seconds
 * would otherwise stamp it tens of thousands of years ahead.
 *
 * <p>KafkaIO builds the deserializer from its class name and configures it with the consumer's settings, so the
 * mapping travels there, as text ({@link #settings}).
 */
public final class EventValueDeserializer implements Deserializer<ParsedLine> {

  /** The consumer setting that holds the job's event mapping. */
  static final String MAPPING = "windowpane.event.mapping";
  /** The consumer setting that holds {@code agg.event.max-future} in milliseconds (absent: no limit). */
  static final String MAX_FUTURE_MILLIS = "windowpane.event.max-future-ms";

  private final Clock clock;
  private EventReader reader = new EventReader(EventMapping.DEFAULT);
  private Duration maxFuture;

  public EventValueDeserializer() {
    this(Clock.systemUTC());
  }

  EventValueDeserializer(Clock clock) {
    this.clock = clock;
  }

  /** The consumer settings that give a deserializer the mapping and, for a live read, the max-future limit. */
  public static Map<String, Object> settings(EventMapping mapping, Duration maxFuture) {
    Map<String, Object> settings = new HashMap<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(mapping);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    settings.put(MAPPING, Base64.getEncoder().encodeToString(bytes.toByteArray()));
    if (maxFuture != null) {
      settings.put(MAX_FUTURE_MILLIS, String.valueOf(maxFuture.toMillis()));
    }
    return settings;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object mapping = configs.get(MAPPING);
    if (mapping != null) {
      try (ObjectInputStream in = new ObjectInputStream(
          new ByteArrayInputStream(Base64.getDecoder().decode(mapping.toString())))) {
        reader = new EventReader((EventMapping) in.readObject());
      } catch (IOException | ClassNotFoundException e) {
        throw new IllegalStateException("cannot read the event mapping from the consumer settings", e);
      }
    }
    Object maxFutureMillis = configs.get(MAX_FUTURE_MILLIS);
    maxFuture = maxFutureMillis == null ? null : Duration.ofMillis(Long.parseLong(maxFutureMillis.toString()));
  }

  @Override
  public ParsedLine deserialize(String topic, byte[] data) {
    ParsedLine parsed = reader.parseJson(data == null ? null : new String(data, StandardCharsets.UTF_8));
    return maxFuture == null ? parsed : withinMaxFuture(parsed, maxFuture, clock.instant());
  }

  /** The parsed record, or its dead letter where its event time is more than {@code maxFuture} ahead of {@code now}. */
  static ParsedLine withinMaxFuture(ParsedLine parsed, Duration maxFuture, Instant now) {
    if (parsed.event() == null || parsed.event().eventTimeMillis() <= now.plus(maxFuture).toEpochMilli()) {
      return parsed;
    }
    return ParsedLine.invalid(parsed.line(), "event time " + Instant.ofEpochMilli(parsed.event().eventTimeMillis())
        + " is more than agg.event.max-future (" + io.windowpane.config.DurationText.of(maxFuture) + ") ahead of the"
        + " clock when it was read (" + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "): it would hold"
        + " its windows open far ahead (epoch milliseconds read as seconds?)");
  }
}
