package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coder for {@link ResultRow}. */
public final class ResultRowCoder extends CustomCoder<ResultRow> {

  private static final ResultRowCoder INSTANCE = new ResultRowCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final BooleanCoder BOOLEAN = BooleanCoder.of();

  public static ResultRowCoder of() {
    return INSTANCE;
  }

  private ResultRowCoder() {}

  @Override
  public void encode(ResultRow row, OutputStream out) throws IOException {
    STRING.encode(row.userId(), out);
    LONG.encode(row.count(), out);
    DecimalCoding.encode(row.sumAmount(), out);
    STRING.encode(row.windowStart(), out);
    STRING.encode(row.windowEnd(), out);
    STRING.encode(row.paneTiming(), out);
    LONG.encode(row.paneIndex(), out);
    BOOLEAN.encode(row.paneIsFirst(), out);
    BOOLEAN.encode(row.paneIsLast(), out);
  }

  @Override
  public ResultRow decode(InputStream in) throws IOException {
    return new ResultRow(
        STRING.decode(in),
        LONG.decode(in),
        DecimalCoding.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        LONG.decode(in),
        BOOLEAN.decode(in),
        BOOLEAN.decode(in));
  }
}
