package io.windowpane.pipeline;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The wire format of windowpane's own types, one line each: how runners encode them between steps, in shuffles and
 * in checkpointed state. Explicit, so that no runner falls back to Java serialization. A change here changes what
 * checkpoints hold: {@code CheckpointPlan} then refuses to restore older ones.
 */
public final class Coders {

  private static final Coder<String> TEXT = StringUtf8Coder.of();
  private static final Coder<String> OPTIONAL_TEXT = NullableCoder.of(TEXT);
  private static final Coder<Long> NUMBER = VarLongCoder.of();
  private static final Coder<Long> OPTIONAL_NUMBER = NullableCoder.of(NUMBER);
  private static final Coder<BigDecimal> DECIMAL = DecimalCoder.of();
  private static final Coder<Boolean> FLAG = BooleanCoder.of();

  public static final RecordCoder<LineChunk> LINE_CHUNK =
      RecordCoder.of(LineChunk.class, TEXT, ListCoder.of(TEXT), OffsetsCoder.of());

  public static final RecordCoder<LineOrigin> LINE_ORIGIN =
      RecordCoder.of(LineOrigin.class, TEXT, OPTIONAL_NUMBER, TEXT);

  public static final RecordCoder<Event> EVENT = RecordCoder.of(Event.class,
      TEXT, OPTIONAL_TEXT, DECIMAL, NUMBER, NullableCoder.of(LINE_ORIGIN), OPTIONAL_NUMBER);

  public static final RecordCoder<InvalidLine> INVALID_LINE =
      RecordCoder.of(InvalidLine.class, TEXT, OPTIONAL_NUMBER, TEXT, TEXT);

  /** An event, or a text and its reason, or none of them (blank). */
  public static final RecordCoder<ParsedLine> PARSED_LINE =
      RecordCoder.of(ParsedLine.class, NullableCoder.of(EVENT), OPTIONAL_TEXT, OPTIONAL_TEXT);

  private static final Coder<BigDecimal> OPTIONAL_DECIMAL = NullableCoder.of(DECIMAL);

  /** Count and sum (min and max are not kept: the default aggregates). */
  public static final RecordCoder<CountSum> COUNT_SUM = RecordCoder.of(CountSum.class, NUMBER, DECIMAL);

  /** Count, sum, min and max: for a job whose aggregates include {@code min} or {@code max}. */
  public static final RecordCoder<CountSum> COUNT_SUM_RANGE =
      RecordCoder.of(CountSum.class, NUMBER, DECIMAL, OPTIONAL_DECIMAL, OPTIONAL_DECIMAL);

  /** A row without min and max (the default aggregates). */
  public static final RecordCoder<ResultRow> RESULT_ROW = RecordCoder.of(ResultRow.class,
      TEXT, NUMBER, DECIMAL, TEXT, TEXT, TEXT, NUMBER, FLAG, FLAG);

  /** A row with min and max. */
  public static final RecordCoder<ResultRow> RESULT_ROW_RANGE = RecordCoder.of(ResultRow.class,
      TEXT, NUMBER, DECIMAL, TEXT, TEXT, TEXT, NUMBER, FLAG, FLAG, OPTIONAL_DECIMAL, OPTIONAL_DECIMAL);

  /** The figures' coder: with min and max where the job keeps them. */
  public static RecordCoder<CountSum> countSum(boolean range) {
    return range ? COUNT_SUM_RANGE : COUNT_SUM;
  }

  /** The rows' coder: with min and max where the job keeps them. */
  public static RecordCoder<ResultRow> resultRow(boolean range) {
    return range ? RESULT_ROW_RANGE : RESULT_ROW;
  }

  private Coders() {}
}
