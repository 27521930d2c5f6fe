package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class CountAndSumFnTest {

  private final CountAndSumFn fn = new CountAndSumFn();

  @Test
  void countsAndSumsSingleEventsAndPartialFiguresAndMergesAccumulators() {
    CountAndSumFn.Accumulator a =
        fn.addInput(fn.addInput(fn.createAccumulator(), new CountSum(1, 20.0)), new CountSum(1, 15.0));
    CountAndSumFn.Accumulator b = fn.addInput(fn.createAccumulator(), new CountSum(1, -5.0));
    CountAndSumFn.Accumulator partial = fn.addInput(fn.createAccumulator(), new CountSum(4, 2.5));
    CountSum merged = fn.extractOutput(fn.mergeAccumulators(List.of(a, b, partial, fn.createAccumulator())));
    assertThat(merged).isEqualTo(new CountSum(7, 32.5));
  }

  @Test
  void emptyAccumulatorIsZero() {
    assertThat(fn.extractOutput(fn.createAccumulator())).isEqualTo(new CountSum(0, 0.0));
  }

  @Test
  void codersRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(CountSumCoder.of(), new CountSum(7, -1.25));
    CoderProperties.coderDecodeEncodeEqual(EventCoder.of(), new Event("u1", null, 2.5, -12L));
    CoderProperties.coderDecodeEncodeEqual(EventCoder.of(), new Event("ü", "refund", -0.0, Long.MAX_VALUE));
    CoderProperties.coderDecodeEncodeEqual(InvalidLineCoder.of(), new InvalidLine("f", 7L, "x", "why"));
    CoderProperties.coderDecodeEncodeEqual(InvalidLineCoder.of(), new InvalidLine("f", null, "x", "why"));
    CoderProperties.coderDecodeEncodeEqual(LineChunkCoder.of(),
        new LineChunk("f", java.util.List.of("a", "b"), new long[] {0, 2}));
    CoderProperties.coderDecodeEncodeEqual(LineChunkCoder.of(), LineChunk.of("s", "x"));
    CoderProperties.coderDecodeEncodeEqual(ResultRowCoder.of(),
        new ResultRow("u1", 2, 35.0, "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "LATE", 1, false, true));
  }
}
