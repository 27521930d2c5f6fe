package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coder for {@link CountSum}. */
public final class CountSumCoder extends CustomCoder<CountSum> {

  private static final CountSumCoder INSTANCE = new CountSumCoder();

  public static CountSumCoder of() {
    return INSTANCE;
  }

  private CountSumCoder() {}

  @Override
  public void encode(CountSum value, OutputStream out) throws IOException {
    VarLongCoder.of().encode(value.count(), out);
    DecimalCoding.encode(value.sum(), out);
  }

  @Override
  public CountSum decode(InputStream in) throws IOException {
    return new CountSum(VarLongCoder.of().decode(in), DecimalCoding.decode(in));
  }
}
