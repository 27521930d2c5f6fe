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

  @Override
  public void encode(Event event, OutputStream out) throws IOException {
    STRING.encode(event.userId(), out);
    OPTIONAL_STRING.encode(event.eventType(), out);
    DecimalCoding.encode(event.amount(), out);
    LONG.encode(event.eventTimeMillis(), out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    return new Event(STRING.decode(in), OPTIONAL_STRING.decode(in), DecimalCoding.decode(in), LONG.decode(in));
  }

  @Override
  public void verifyDeterministic() {
    // Decimals are encoded as scale and unscaled value, strings as UTF-8: equal events encode equally.
  }
}
