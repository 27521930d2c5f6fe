package io.windowpane.source.kafka;

import io.windowpane.pipeline.EventCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Coder of a parsed record value: a tag, then the event or the text and its reason (nothing for a blank one). */
final class EventValueCoder extends CustomCoder<EventValue> {

  private static final EventValueCoder INSTANCE = new EventValueCoder();
  private static final int BLANK = 0;
  private static final int EVENT = 1;
  private static final int INVALID = 2;

  static EventValueCoder of() {
    return INSTANCE;
  }

  private EventValueCoder() {}

  @Override
  public void encode(EventValue value, OutputStream out) throws IOException {
    if (value.event() != null) {
      out.write(EVENT);
      EventCoder.of().encode(value.event(), out);
      StringUtf8Coder.of().encode(value.line(), out);
    } else if (value.invalidReason() != null) {
      out.write(INVALID);
      StringUtf8Coder.of().encode(value.line(), out);
      StringUtf8Coder.of().encode(value.invalidReason(), out);
    } else {
      out.write(BLANK);
    }
  }

  @Override
  public EventValue decode(InputStream in) throws IOException {
    int tag = in.read();
    return switch (tag) {
      case EVENT -> new EventValue(EventCoder.of().decode(in), StringUtf8Coder.of().decode(in), null);
      case INVALID -> new EventValue(null, StringUtf8Coder.of().decode(in), StringUtf8Coder.of().decode(in));
      case BLANK -> EventValue.BLANK;
      default -> throw new IOException("not an encoded record value (tag " + tag + ")");
    };
  }

  @Override
  public void verifyDeterministic() {
    // built of deterministic parts
  }
}
