package io.windowpane.sink;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;

/**
 * Writes lines with Beam's own file sink ({@code TextIO}), for runners whose workers cannot safely append to one
 * file: each shard is written to a temporary file and renamed into place only when it is complete, so a retried
 * bundle never repeats rows and no worker shares a file. Bounded input gets a fixed number of shards, written when
 * the input is done; unbounded input is written per window as its panes fire.
 */
public class WriteShards extends PTransform<PCollection<String>, PDone> {

  /** How long unwindowed lines of an unbounded input wait before their file is written. */
  static final Duration FLUSH_EVERY = Duration.standardSeconds(10);

  /** Beam's windowed file names, with a dash after the prefix as its unwindowed ones have. */
  static final String WINDOWED_NAMES = "-W-P-SSSSS-of-NNNNN";

  private final LineTarget target;

  public WriteShards(LineTarget target) {
    if (target.kind() != LineTarget.Kind.SHARDS) {
      throw new IllegalArgumentException("not a sharded target: " + target);
    }
    this.target = target;
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    TextIO.Write write = TextIO.write()
        .to(target.shardPrefix())
        .withSuffix(target.shardSuffix())
        .withTempDirectory(FileSystems.matchNewResource(target.shardTempDirectory().toString(), true))
        .withNumShards(target.shards());
    if (lines.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      lines = lines.apply("WritePanesAsTheyFire", rewrite(lines.getWindowingStrategy()));
      // One file per window, pane and shard: results-<window start>-<window end>-pane-<n>-00000-of-00001.jsonl
      write = write.withWindowedWrites().withShardNameTemplate(WINDOWED_NAMES);
    }
    return lines.apply("TextIO", write);
  }

  /**
   * The file write groups lines again, which would repeat an accumulating job's earlier rows and wait for the
   * aggregation's triggers a second time. Lines are written as they arrive instead, each once, with the lateness
   * of their windows so no late row is dropped. Lines outside any window (rejected lines) would wait for the end of
   * time: they are written every {@link #FLUSH_EVERY}.
   */
  private static Window<String> rewrite(WindowingStrategy<?, ?> windowing) {
    boolean global = windowing.getWindowFn() instanceof GlobalWindows;
    Trigger trigger = global
        ? Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(FLUSH_EVERY))
        : Repeatedly.forever(AfterPane.elementCountAtLeast(1));
    return Window.<String>configure()
        .triggering(trigger)
        .discardingFiredPanes()
        .withAllowedLateness(global ? Duration.ZERO : windowing.getAllowedLateness());
  }
}
