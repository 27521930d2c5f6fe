package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coder for {@link InvalidLine}. */
public final class InvalidLineCoder extends CustomCoder<InvalidLine> {

  private static final InvalidLineCoder INSTANCE = new InvalidLineCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<Long> OFFSET = NullableCoder.of(VarLongCoder.of());

  public static InvalidLineCoder of() {
    return INSTANCE;
  }

  private InvalidLineCoder() {}

  @Override
  public void encode(InvalidLine value, OutputStream out) throws IOException {
    STRING.encode(value.origin(), out);
    OFFSET.encode(value.offset(), out);
    STRING.encode(value.line(), out);
    STRING.encode(value.reason(), out);
  }

  @Override
  public InvalidLine decode(InputStream in) throws IOException {
    return new InvalidLine(STRING.decode(in), OFFSET.decode(in), STRING.decode(in), STRING.decode(in));
  }
}
