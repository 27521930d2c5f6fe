package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Coder for {@link LineChunk}: the origin, then the lines as a list of UTF-8 strings. */
public final class LineChunkCoder extends CustomCoder<LineChunk> {

  private static final LineChunkCoder INSTANCE = new LineChunkCoder();
  private static final StringUtf8Coder ORIGIN = StringUtf8Coder.of();
  private static final ListCoder<String> LINES = ListCoder.of(StringUtf8Coder.of());

  public static LineChunkCoder of() {
    return INSTANCE;
  }

  private LineChunkCoder() {}

  @Override
  public void encode(LineChunk value, OutputStream out) throws IOException {
    ORIGIN.encode(value.origin(), out);
    LINES.encode(value.lines(), out);
  }

  @Override
  public LineChunk decode(InputStream in) throws IOException {
    String origin = ORIGIN.decode(in);
    List<String> lines = LINES.decode(in);
    return new LineChunk(origin, lines);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    LINES.verifyDeterministic();
  }
}
