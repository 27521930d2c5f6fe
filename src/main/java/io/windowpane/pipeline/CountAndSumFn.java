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
 * one user and window already combined within a bundle ({@link UserWindowAggregation}).
 */
public class CountAndSumFn extends Combine.CombineFn<CountSum, CountAndSumFn.Accumulator, CountSum> {

  /**
   * Mutable on purpose: combining adds into it. The sum is a {@link BigDecimal}: exact, so the same on every runner,
   * bundling and order, with the scale of the most precise amount (12.30 + 1 = 13.30).
   */
  public static final class Accumulator {
    long count;
    BigDecimal sum;

    Accumulator(long count, BigDecimal sum) {
      this.count = count;
      this.sum = sum;
    }

    static Accumulator of(CountSum figures) {
      return new Accumulator(figures.count(), figures.sum());
    }

    CountSum figures() {
      return new CountSum(count, sum);
    }
  }

  /** An accumulator travels (and is checkpointed) as the figures it holds. */
  private static final Coder<Accumulator> ACCUMULATOR_CODER =
      DelegateCoder.of(Coders.COUNT_SUM, Accumulator::figures, Accumulator::of);

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator(0, BigDecimal.ZERO);
  }

  @Override
  public Accumulator addInput(Accumulator accumulator, CountSum partial) {
    accumulator.count += partial.count();
    accumulator.sum = accumulator.sum.add(partial.sum());
    return accumulator;
  }

  @Override
  public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
    Accumulator merged = createAccumulator();
    for (Accumulator a : accumulators) {
      merged.count += a.count;
      merged.sum = merged.sum.add(a.sum);
    }
    return merged;
  }

  @Override
  public CountSum extractOutput(Accumulator accumulator) {
    return accumulator.figures();
  }

  @Override
  public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<CountSum> inputCoder) {
    return ACCUMULATOR_CODER;
  }

  @Override
  public Coder<CountSum> getDefaultOutputCoder(CoderRegistry registry, Coder<CountSum> inputCoder) {
    return Coders.COUNT_SUM;
  }
}
