package io.windowpane.pipeline;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DelegateCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Count and sum of amounts in one pass. One combine (not a count and a sum joined afterwards) so that every pane's
 * count and sum describe the same elements and the pane info is the aggregation's own (DESIGN.md).
 *
 * <p>Its inputs are partial figures: {@code (1, amount)} for a single event, or the figures of several events of
 * one user and window already combined within a bundle ({@link KeyWindowAggregation}).
 */
public class CountAndSumFn extends Combine.CombineFn<CountSum, CountAndSumFn.Accumulator, CountSum> {

  /**
   * A checkpoint holds this combine, Java-serialized, with its state: pinned to the value the class had before it
   * gained {@code range}, so that checkpoints and savepoints of earlier versions still restore (read as count and sum).
   */
  private static final long serialVersionUID = -7515356689416215511L;

  /**
   * Mutable on purpose: combining adds into it. The sum is a {@link BigDecimal}: exact, so the same on every runner,
   * bundling and order, with the scale of the most precise amount (12.30 + 1 = 13.30).
   */
  public static final class Accumulator {
    long count;
    BigDecimal sum;
    /** Null until a value came, and where the job keeps no minimum and maximum. */
    BigDecimal min;
    BigDecimal max;

    Accumulator(long count, BigDecimal sum, BigDecimal min, BigDecimal max) {
      this.count = count;
      this.sum = sum;
      this.min = min;
      this.max = max;
    }

    static Accumulator of(CountSum figures) {
      return new Accumulator(figures.count(), figures.sum(), figures.min(), figures.max());
    }

    CountSum figures() {
      return new CountSum(count, sum, min, max);
    }

    void add(long moreCount, BigDecimal moreSum, BigDecimal lower, BigDecimal higher) {
      count += moreCount;
      sum = sum.add(moreSum);
      if (lower != null && (min == null || lower.compareTo(min) < 0)) {
        min = lower;
      }
      if (higher != null && (max == null || higher.compareTo(max) > 0)) {
        max = higher;
      }
    }
  }

  /** Whether the figures keep the least and greatest value (decides the wire format). */
  private final boolean range;

  /** Count and sum. */
  public CountAndSumFn() {
    this(false);
  }

  /** @param range whether the least and greatest value are kept too ({@code min}, {@code max}) */
  public CountAndSumFn(boolean range) {
    this.range = range;
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator(0, BigDecimal.ZERO, null, null);
  }

  @Override
  public Accumulator addInput(Accumulator accumulator, CountSum partial) {
    accumulator.add(partial.count(), partial.sum(), partial.min(), partial.max());
    return accumulator;
  }

  @Override
  public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
    Accumulator merged = createAccumulator();
    for (Accumulator a : accumulators) {
      merged.add(a.count, a.sum, a.min, a.max);
    }
    return merged;
  }

  @Override
  public CountSum extractOutput(Accumulator accumulator) {
    return accumulator.figures();
  }

  @Override
  public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<CountSum> inputCoder) {
    // an accumulator travels (and is checkpointed) as the figures it holds
    return DelegateCoder.of(Coders.countSum(range), Accumulator::figures, Accumulator::of);
  }

  @Override
  public Coder<CountSum> getDefaultOutputCoder(CoderRegistry registry, Coder<CountSum> inputCoder) {
    return Coders.countSum(range);
  }
}
