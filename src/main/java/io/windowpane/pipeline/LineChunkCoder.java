package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coder for {@link LineChunk}: the origin, the lines as a list of UTF-8 strings, then their offsets. */
public final class LineChunkCoder extends CustomCoder<LineChunk> {

  private static final LineChunkCoder INSTANCE = new LineChunkCoder();
  private static final StringUtf8Coder ORIGIN = StringUtf8Coder.of();
  private static final ListCoder<String> LINES = ListCoder.of(StringUtf8Coder.of());
  private static final VarLongCoder OFFSET = VarLongCoder.of();

  public static LineChunkCoder of() {
    return INSTANCE;
  }

  private LineChunkCoder() {}

  @Override
  public void encode(LineChunk value, OutputStream out) throws IOException {
    ORIGIN.encode(value.origin(), out);
    LINES.encode(value.lines(), out);
    for (int i = 0; i < value.lines().size(); i++) {
      OFFSET.encode(value.offset(i) + 1, out); // NO_OFFSET (-1) as 0: one byte, not ten
    }
  }

  @Override
  public LineChunk decode(InputStream in) throws IOException {
    String origin = ORIGIN.decode(in);
    List<String> lines = LINES.decode(in);
    long[] offsets = new long[lines.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = OFFSET.decode(in) - 1;
    }
    return new LineChunk(origin, lines, offsets);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    LINES.verifyDeterministic();
  }
}
