package io.windowpane.pipeline;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Each result row as its JSON line, with the field names of the job's event mapping ({@link RowFormat}). */
public class RowsToJson extends PTransform<PCollection<ResultRow>, PCollection<String>> {

  private final RowFormat format;

  public RowsToJson(RowFormat format) {
    this.format = format;
  }

  @Override
  public PCollection<String> expand(PCollection<ResultRow> rows) {
    // the step and its DoFn keep the names they had as ToJsonLines: a checkpoint's steps must match (CheckpointPlan)
    return rows.apply("ToJson", ParDo.of(new ToJsonFn(format))).setCoder(StringUtf8Coder.of());
  }

  static class ToJsonFn extends DoFn<ResultRow, String> {
    private final RowFormat format;

    ToJsonFn(RowFormat format) {
      this.format = format;
    }

    @ProcessElement
    public void processElement(@Element ResultRow row, OutputReceiver<String> out) {
      out.output(format.toJson(row));
    }
  }
}
