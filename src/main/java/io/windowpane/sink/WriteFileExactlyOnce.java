package io.windowpane.sink;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Appends a live job's lines to its file exactly once when the job is checkpointed (SPEC section 13): lines become
 * visible when the checkpoint that covers them completes, a restart never truncates the file, and no line is written
 * twice ({@link ExactlyOnceLines}, {@link CommittedFile}).
 */
public class WriteFileExactlyOnce extends PTransform<PCollection<String>, PDone> {

  private final LineTarget target;
  private final String run;

  public WriteFileExactlyOnce(LineTarget target, String run) {
    if (target.kind() != LineTarget.Kind.FILE || target.staged()) {
      throw new IllegalArgumentException("not a file written as the job runs: " + target);
    }
    this.target = target;
    this.run = run;
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    return lines
        .apply("Unkeyed", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(line -> KV.of((String) null, line)))
        .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()))
        .apply("AppendCommitted", new ExactlyOnceLines(new CommittedFile(target.path()), run));
  }
}
