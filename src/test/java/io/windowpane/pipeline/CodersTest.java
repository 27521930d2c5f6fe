package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** windowpane's wire formats ({@link Coders}) and the record coder they are built with. */
class CodersTest {

  private static final LineOrigin ORIGIN = new LineOrigin("events-0", 41L, "{\"user_id\":\"u1\"}");

  @Test
  void everyTypeRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(Coders.COUNT_SUM, new CountSum(7, new BigDecimal("-1.25")));
    for (String sum : new String[] {"0", "-0.01", "999999999999999999", "-999999999999999999.5",
        "12345678901234567890.123456789012345678", "-9223372036854775808", "1E+3", "0.000000000000000001"}) {
      CoderProperties.coderDecodeEncodeEqual(Coders.COUNT_SUM, new CountSum(1, new BigDecimal(sum)));
    }
    CoderProperties.coderDecodeEncodeEqual(Coders.EVENT, new Event("u1", null, new BigDecimal("2.5"), -12L));
    CoderProperties.coderDecodeEncodeEqual(Coders.EVENT,
        new Event("ü", "refund", new BigDecimal("-0.000000000000000001"), Long.MAX_VALUE));
    CoderProperties.coderDecodeEncodeEqual(Coders.EVENT, new Event("u1", "c", BigDecimal.ONE, 5L).readFrom(ORIGIN));
    CoderProperties.coderDecodeEncodeEqual(Coders.EVENT,
        new Event("u1", "c", BigDecimal.ONE, 5L).readFrom(ORIGIN).onTimeFor(Long.MIN_VALUE));
    CoderProperties.coderDecodeEncodeEqual(Coders.EVENT, new Event("u1", "c", BigDecimal.ONE, 5L).onTimeFor(-3));
    CoderProperties.coderDecodeEncodeEqual(Coders.LINE_ORIGIN, new LineOrigin("f", null, ""));
    CoderProperties.coderDecodeEncodeEqual(Coders.INVALID_LINE, new InvalidLine("f", 7L, "x", "why"));
    CoderProperties.coderDecodeEncodeEqual(Coders.INVALID_LINE, new InvalidLine("f", null, "x", "why"));
    CoderProperties.coderDecodeEncodeEqual(Coders.LINE_CHUNK, new LineChunk("f", List.of("a", "b"), new long[] {0, 2}));
    CoderProperties.coderDecodeEncodeEqual(Coders.LINE_CHUNK, LineChunk.of("s", "x"));
    CoderProperties.coderDecodeEncodeEqual(Coders.LINE_CHUNK, new LineChunk("s", List.of()));
    CoderProperties.coderDecodeEncodeEqual(Coders.RESULT_ROW, new ResultRow("u1", 2, new BigDecimal("35.0"),
        "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "LATE", 1, false, true));
  }

  @Test
  void accumulatorsTravelAsTheirFigures() throws Exception {
    CountAndSumFn fn = new CountAndSumFn();
    Coder<CountAndSumFn.Accumulator> coder = fn.getAccumulatorCoder(null, Coders.COUNT_SUM);
    CountAndSumFn.Accumulator accumulator = fn.addInput(fn.createAccumulator(), new CountSum(3, new BigDecimal("4.50")));
    CountAndSumFn.Accumulator decoded = CoderUtils.clone(coder, accumulator);
    assertThat(fn.extractOutput(decoded)).isEqualTo(new CountSum(3, new BigDecimal("4.50")));
  }

  @Test
  void absentExtrasCostOneByteEach() throws Exception {
    // what the live input adds to an event (origin, missed windows) is two null markers when absent
    Event bare = new Event("u1", null, new BigDecimal("2.5"), 1_767_866_400_000L);
    byte[] bytes = CoderUtils.encodeToByteArray(Coders.EVENT, bare);
    assertThat(bytes).hasSize(3 + 1 + 3 + 6 + 1 + 1);
  }

  @Test
  void keysAndShuffledValuesEncodeDeterministically() throws Exception {
    Coders.COUNT_SUM.verifyDeterministic();
    Coders.EVENT.verifyDeterministic();
    CoderProperties.coderDeterministic(Coders.EVENT, new Event("u", "t", new BigDecimal("1.0"), 1L),
        new Event("u", "t", new BigDecimal("1.0"), 1L));
  }

  @Test
  void survivesJavaSerializationAsRunnersShipIt() throws Exception {
    // workers receive coders serialized; the method handles are looked up again there
    @SuppressWarnings("unchecked")
    RecordCoder<Event> shipped = (RecordCoder<Event>) SerializableUtils.ensureSerializable(Coders.EVENT);
    Event event = new Event("u1", "c", new BigDecimal("9.99"), 42L).readFrom(ORIGIN);
    assertThat(CoderUtils.clone(shipped, event)).isEqualTo(event);
    assertThat(shipped).isEqualTo(Coders.EVENT).hasSameHashCodeAs(Coders.EVENT);
  }

  /** With the range kept, figures and rows travel with their least and greatest value; without, they need not. */
  @Test
  void theRangeCodersCarryMinAndMax() throws Exception {
    CountSum figures = new CountSum(3, new BigDecimal("6.5"), new BigDecimal("-1"), new BigDecimal("4.5"));
    assertThat(CoderUtils.clone(Coders.countSum(true), figures)).isEqualTo(figures);
    assertThat(CoderUtils.clone(Coders.countSum(false), new CountSum(3, new BigDecimal("6.5"))))
        .isEqualTo(new CountSum(3, new BigDecimal("6.5")));
    assertThat(Coders.countSum(false)).isEqualTo(Coders.COUNT_SUM);
    ResultRow row = new ResultRow("u1", 3, new BigDecimal("6.5"), "s", "e", "ON_TIME", 0, true, true,
        new BigDecimal("-1.0"), new BigDecimal("4.5"));
    assertThat(CoderUtils.clone(Coders.resultRow(true), row)).isEqualTo(row);
    assertThat(Coders.resultRow(false)).isEqualTo(Coders.RESULT_ROW);
  }

  /** A record coder is deterministic only where all its component coders are (a key coder must be). */
  @Test
  void aRecordCoderWithANonDeterministicComponentIsNotDeterministic() {
    record Measured(long count, Double value) {}
    RecordCoder<Measured> coder = RecordCoder.of(Measured.class, VarLongCoder.of(), DoubleCoder.of());
    assertThatThrownBy(coder::verifyDeterministic).isInstanceOf(Coder.NonDeterministicException.class)
        .hasMessageContaining("Measured's component coders must be deterministic");
  }

  /** Lines read without offsets have none (NO_OFFSET), not offset 0; given offsets are kept per line. */
  @Test
  void chunkLinesWithoutOffsetsHaveNone() {
    assertThat(new LineChunk("f", List.of("a", "b")).offsets())
        .containsExactly(LineChunk.NO_OFFSET, LineChunk.NO_OFFSET);
    assertThat(LineChunk.of("s", "x").offset(0)).isEqualTo(LineChunk.NO_OFFSET);
    assertThat(LineChunk.of("s", "x", 41).offset(0)).isEqualTo(41);
    assertThat(new LineChunk("f", List.of("a", "b"), new long[] {0, 2}).offset(1)).isEqualTo(2);
  }

  @Test
  void refusesCodersThatDoNotFitTheRecord() {
    assertThatThrownBy(() -> RecordCoder.of(CountSum.class, VarLongCoder.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CountSum has 4 components and no constructor of its first 1; 1 coders were given");
    assertThatThrownBy(() -> RecordCoder.of(CountSum.class, VarLongCoder.of(), DecimalCoder.of(), DecimalCoder.of(),
        DecimalCoder.of(), DecimalCoder.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CountSum has 4 components, 5 coders were given");
    assertThatThrownBy(() -> RecordCoder.of(CountSum.class, StringUtf8Coder.of(), DecimalCoder.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CountSum.count is a Long, its coder StringUtf8Coder encodes String");
  }

  @Test
  void recordsOfOtherShapesAreOtherCoders() {
    record Pair(long count, BigDecimal sum) {}
    RecordCoder<Pair> pair = RecordCoder.of(Pair.class, VarLongCoder.of(), DecimalCoder.of());
    assertThat(pair).isNotEqualTo(Coders.COUNT_SUM);
    assertThat(pair.toString()).isEqualTo("RecordCoder<Pair>(VarLongCoder, DecimalCoder)");
  }

  @Test
  void failsClearlyOnBytesItDidNotWrite() {
    assertThatThrownBy(() -> Coders.COUNT_SUM.decode(new ByteArrayInputStream(new byte[] {1, 7})))
        .isInstanceOf(CoderException.class).hasMessageContaining("not a decimal: kind 7");
    assertThatThrownBy(() -> CoderUtils.encodeToByteArray(Coders.COUNT_SUM, null))
        .isInstanceOf(CoderException.class).hasMessageContaining("null CountSum");
    // a rejected construction (offsets and lines of different lengths) is reported as undecodable input
    byte[] chunk = {1, 'f', 0, 0, 0, 1, 1, 'a', 0}; // "f", ["a"], no offsets
    assertThatThrownBy(() -> Coders.LINE_CHUNK.decode(new ByteArrayInputStream(chunk)))
        .isInstanceOf(CoderException.class).hasMessageContaining("cannot rebuild a LineChunk");
  }
}
