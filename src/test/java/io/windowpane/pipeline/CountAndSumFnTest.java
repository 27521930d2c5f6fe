package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class CountAndSumFnTest {

  private final CountAndSumFn fn = new CountAndSumFn();

  @Test
  void countsAndSumsSingleEventsAndPartialFiguresAndMergesAccumulators() {
    CountAndSumFn.Accumulator a =
        fn.addInput(fn.addInput(fn.createAccumulator(), new CountSum(1, new BigDecimal("20.0"))), new CountSum(1, new BigDecimal("15.0")));
    CountAndSumFn.Accumulator b = fn.addInput(fn.createAccumulator(), new CountSum(1, new BigDecimal("-5.0")));
    CountAndSumFn.Accumulator partial = fn.addInput(fn.createAccumulator(), new CountSum(4, new BigDecimal("2.5")));
    CountSum merged = fn.extractOutput(fn.mergeAccumulators(List.of(a, b, partial, fn.createAccumulator())));
    assertThat(merged).isEqualTo(new CountSum(7, new BigDecimal("32.5")));
  }

  /**
   * Property: random amounts (up to 18 decimal places, either sign, most not representable in binary), added in a
   * random order and split into random bundles whose accumulators are merged in random groups, always sum to the
   * exact decimal sum, with the scale of the most precise amount.
   */
  @RepeatedTest(200)
  void sumsAreExactInAnyOrderAndBundling(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    List<BigDecimal> amounts = new ArrayList<>();
    for (int i = random.nextInt(300); i >= 0; i--) {
      amounts.add(BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, random.nextInt(19)));
    }
    BigDecimal exact = amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    Collections.shuffle(amounts, random);
    List<CountAndSumFn.Accumulator> bundles = new ArrayList<>();
    for (int from = 0; from < amounts.size(); ) {
      int to = Math.min(amounts.size(), from + 1 + random.nextInt(20));
      CountAndSumFn.Accumulator bundle = fn.createAccumulator();
      for (BigDecimal amount : amounts.subList(from, to)) {
        bundle = fn.addInput(bundle, new CountSum(1, amount));
      }
      bundles.add(bundle);
      from = to;
    }
    while (bundles.size() > 1) { // merge random groups, as runners merge partial results
      Collections.shuffle(bundles, random);
      int group = Math.min(bundles.size(), 2 + random.nextInt(3));
      List<CountAndSumFn.Accumulator> merged = new ArrayList<>(bundles.subList(group, bundles.size()));
      merged.add(fn.mergeAccumulators(bundles.subList(0, group)));
      bundles = merged;
    }
    CountSum sum = fn.extractOutput(bundles.get(0));
    assertThat(sum.count()).isEqualTo(amounts.size());
    assertThat(sum.sum()).isEqualTo(exact); // equals: the same digits and scale
  }

  /**
   * Where the job keeps them, the least and the greatest value are those of all the inputs and merged accumulators,
   * whichever order they come in; an empty accumulator (no value yet) changes neither.
   */
  @Test
  void minAndMaxAreTheLeastAndGreatestOfAllInputsAndMerges() {
    CountAndSumFn range = new CountAndSumFn(true);
    CountAndSumFn.Accumulator a = range.createAccumulator();
    for (String value : List.of("5", "-2.5", "7", "3")) {
      a = range.addInput(a, CountSum.of(new BigDecimal(value), true));
    }
    assertThat(range.extractOutput(a))
        .isEqualTo(new CountSum(4, new BigDecimal("12.5"), new BigDecimal("-2.5"), new BigDecimal("7")));
    CountAndSumFn.Accumulator b = range.addInput(range.createAccumulator(),
        new CountSum(2, new BigDecimal("20"), new BigDecimal("-3"), new BigDecimal("23")));
    assertThat(range.extractOutput(range.mergeAccumulators(List.of(range.createAccumulator(), a, b))))
        .isEqualTo(new CountSum(6, new BigDecimal("32.5"), new BigDecimal("-3"), new BigDecimal("23")));
    assertThat(range.extractOutput(range.mergeAccumulators(List.of(b, range.createAccumulator(), a))))
        .isEqualTo(new CountSum(6, new BigDecimal("32.5"), new BigDecimal("-3"), new BigDecimal("23")));
    assertThat(CountSum.of(BigDecimal.TEN, false)).isEqualTo(new CountSum(1, BigDecimal.TEN, null, null));
  }

  @Test
  void emptyAccumulatorIsZero() {
    assertThat(fn.extractOutput(fn.createAccumulator())).isEqualTo(new CountSum(0, BigDecimal.ZERO));
  }
}
