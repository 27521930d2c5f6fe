package io.windowpane.source.kafka;

import io.windowpane.pipeline.Coders;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.EventParser;
import io.windowpane.pipeline.InvalidEventException;
import io.windowpane.pipeline.RecordCoder;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A Kafka record's value as the reader parsed it, once (SPEC section 9): the event, or the text and why it is no
 * event, or nothing to parse (an empty value or a tombstone, skipped as a blank line is). The reader needs the event
 * time for the watermark; the pipeline gets the rest from the same parse.
 *
 * @param event the valid event, else null
 * @param line the value's text (for a dead letter: a rejected record, or a live one that comes too late)
 * @param invalidReason why it is no event, else null
 */
public record EventValue(Event event, String line, String invalidReason) {

  static final EventValue BLANK = new EventValue(null, null, null);

  /** An event, or a text and its reason, or none of them (blank). */
  static final RecordCoder<EventValue> CODER = RecordCoder.of(EventValue.class, NullableCoder.of(Coders.EVENT),
      NullableCoder.of(StringUtf8Coder.of()), NullableCoder.of(StringUtf8Coder.of()));

  /**
   * Parses a record value. Bytes that are not valid UTF-8 decode to U+FFFD, which the parser rejects, so such a
   * record is dead-lettered instead of aggregated under a mangled user.
   */
  public static EventValue parse(byte[] value) {
    String line = value == null ? "" : new String(value, StandardCharsets.UTF_8);
    if (EventParser.isBlank(line)) {
      return BLANK;
    }
    try {
      return new EventValue(EventParser.parse(line), line, null);
    } catch (InvalidEventException e) {
      return new EventValue(null, line, e.getMessage());
    }
  }

  public boolean isBlank() {
    return event == null && invalidReason == null;
  }

  /** The event time of a valid event, else null. */
  public Long eventTimeMillis() {
    return event == null ? null : event.eventTimeMillis();
  }
}
