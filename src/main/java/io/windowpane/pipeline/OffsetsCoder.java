package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The coder of a {@link LineChunk}'s line offsets: their number, then each one plus one as a variable length long, so
 * that {@link LineChunk#NO_OFFSET} (-1) takes one byte, not ten. Beam has no coder of a primitive array.
 */
public final class OffsetsCoder extends AtomicCoder<long[]> {

  private static final OffsetsCoder INSTANCE = new OffsetsCoder();

  public static OffsetsCoder of() {
    return INSTANCE;
  }

  private OffsetsCoder() {}

  @Override
  public void encode(long[] offsets, OutputStream out) throws IOException {
    VarInt.encode(offsets.length, out);
    for (long offset : offsets) {
      VarInt.encode(offset + 1, out);
    }
  }

  @Override
  public long[] decode(InputStream in) throws IOException {
    long[] offsets = new long[VarInt.decodeInt(in)];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = VarInt.decodeLong(in) - 1;
    }
    return offsets;
  }
}
