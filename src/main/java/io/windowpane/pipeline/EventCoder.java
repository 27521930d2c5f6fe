package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact binary coder for {@link Event}: explicit, so no runner falls back to Java serialization. */
public final class EventCoder extends CustomCoder<Event> {

  private static final EventCoder INSTANCE = new EventCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> OPTIONAL_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static EventCoder of() {
    return INSTANCE;
  }

  private EventCoder() {}

  private static final NullableCoder<Long> OPTIONAL_LONG = NullableCoder.of(VarLongCoder.of());
  private static final int HAS_ORIGIN = 1;
  private static final int HAS_MISSED = 2;

  @Override
  public void encode(Event event, OutputStream out) throws IOException {
    STRING.encode(event.userId(), out);
    OPTIONAL_STRING.encode(event.eventType(), out);
    DecimalCoding.encode(event.amount(), out);
    LONG.encode(event.eventTimeMillis(), out);
    // one byte says which of the live input's extras follow (none for bounded input)
    LineOrigin origin = event.origin();
    boolean missed = event.missedWindowsEndingBefore() != Event.NONE_MISSED;
    out.write((origin != null ? HAS_ORIGIN : 0) | (missed ? HAS_MISSED : 0));
    if (origin != null) {
      STRING.encode(origin.origin(), out);
      OPTIONAL_LONG.encode(origin.offset(), out);
      STRING.encode(origin.line(), out);
    }
    if (missed) {
      LONG.encode(event.missedWindowsEndingBefore(), out);
    }
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    String userId = STRING.decode(in);
    String eventType = OPTIONAL_STRING.decode(in);
    java.math.BigDecimal amount = DecimalCoding.decode(in);
    long eventTime = LONG.decode(in);
    int extras = in.read();
    if (extras < 0) {
      throw new java.io.EOFException("an event without its extras byte");
    }
    LineOrigin origin = (extras & HAS_ORIGIN) != 0
        ? new LineOrigin(STRING.decode(in), OPTIONAL_LONG.decode(in), STRING.decode(in)) : null;
    long missed = (extras & HAS_MISSED) != 0 ? LONG.decode(in) : Event.NONE_MISSED;
    return new Event(userId, eventType, amount, eventTime, origin, missed);
  }

  @Override
  public void verifyDeterministic() {
    // Decimals are encoded as scale and unscaled value, strings as UTF-8: equal events encode equally.
  }
}
