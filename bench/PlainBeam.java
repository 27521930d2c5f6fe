import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The same aggregation as windowpane, written as a plain Beam program the way Beam's own examples are: TextIO, a
 * ParDo that parses with Jackson and stamps event time, {@code Window.into}, {@code Combine.perKey} of count and
 * sum (Beam's own coders), one JSON line per user and window, TextIO. No dead letters, no metrics, no pane info, no
 * Spring. The yardstick for what windowpane adds on the same runner; on Flink with {@code fasterCopy}, as windowpane
 * runs bounded input.
 *
 * <p>Usage: java PlainBeam in.jsonl out-prefix windows(fixed:60|sliding:60:30|session:5) runner(direct|flink|flink-batch)
 */
public final class PlainBeam {

  public static void main(String[] args) {
    String[] windows = args[2].split(":");
    PipelineOptions options = PipelineOptionsFactory.create();
    switch (args[3]) {
      case "direct" -> options.setRunner(DirectRunner.class);
      case "flink", "flink-batch" -> {
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(FlinkRunner.class);
        flink.setFlinkMaster("[local]");
        flink.setStreaming(args[3].equals("flink"));
        flink.setShutdownSourcesAfterIdleMs(0L);
        flink.setFasterCopy(true); // as windowpane sets for bounded input: the comparison is on equal terms
      }
      default -> throw new IllegalArgumentException("runner: direct, flink or flink-batch");
    }
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("Read", TextIO.read().from(args[0]))
        .apply("Parse", ParDo.of(new ParseFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
        .apply("Window", Window.into(windowFn(windows)))
        .apply("CountAndSum", Combine.perKey(new CountSumFn()))
        .apply("Format", ParDo.of(new FormatFn()))
        .apply("Write", TextIO.write().to(args[1]).withSuffix(".jsonl").withoutSharding());
    pipeline.run().waitUntilFinish();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static WindowFn<Object, ?> windowFn(String[] windows) {
    Duration size = Duration.standardSeconds(Long.parseLong(windows[1]));
    return (WindowFn) switch (windows[0]) {
      case "sliding" -> SlidingWindows.of(size).every(Duration.standardSeconds(Long.parseLong(windows[2])));
      case "session" -> Sessions.withGapDuration(size);
      default -> FixedWindows.of(size);
    };
  }

  /** JSON line -> (user, amount) at the event's time. */
  static class ParseFn extends DoFn<String, KV<String, Double>> {
    private transient ObjectMapper json;

    @Setup
    public void setup() {
      json = new ObjectMapper();
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<KV<String, Double>> out) throws Exception {
      JsonNode event = json.readTree(line);
      long millis = new BigDecimal(event.get("event_time").asText()).movePointRight(3)
          .setScale(0, RoundingMode.FLOOR).longValueExact();
      out.outputWithTimestamp(KV.of(event.get("user_id").asText(), event.get("amount").asDouble()),
          new Instant(millis));
    }
  }

  /** Count and sum; the accumulator is a (count, sum) pair with Beam's own coders. */
  static class CountSumFn extends Combine.CombineFn<Double, KV<Long, Double>, KV<Long, Double>> {
    @Override
    public KV<Long, Double> createAccumulator() {
      return KV.of(0L, 0.0);
    }

    @Override
    public KV<Long, Double> addInput(KV<Long, Double> acc, Double amount) {
      return KV.of(acc.getKey() + 1, acc.getValue() + amount);
    }

    @Override
    public KV<Long, Double> mergeAccumulators(Iterable<KV<Long, Double>> accs) {
      long count = 0;
      double sum = 0;
      for (KV<Long, Double> acc : accs) {
        count += acc.getKey();
        sum += acc.getValue();
      }
      return KV.of(count, sum);
    }

    @Override
    public KV<Long, Double> extractOutput(KV<Long, Double> acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<KV<Long, Double>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<Double> input) {
      return KvCoder.of(VarLongCoder.of(), DoubleCoder.of());
    }
  }

  /** One row in windowpane's format, so that Bench can check it against the reference. */
  static class FormatFn extends DoFn<KV<String, KV<Long, Double>>, String> {
    @ProcessElement
    public void process(@Element KV<String, KV<Long, Double>> totals, BoundedWindow window, OutputReceiver<String> out) {
      IntervalWindow interval = (IntervalWindow) window;
      out.output(String.format(Locale.ROOT,
          "{\"user_id\":\"%s\",\"count\":%d,\"sum_amount\":%s,\"window_start\":\"%s\",\"window_end\":\"%s\","
              + "\"pane_timing\":\"ON_TIME\"}",
          totals.getKey(), totals.getValue().getKey(), Double.toString(totals.getValue().getValue()),
          java.time.Instant.ofEpochMilli(interval.start().getMillis()),
          java.time.Instant.ofEpochMilli(interval.end().getMillis())));
    }
  }
}
