package io.windowpane.source;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadAllViaFileBasedSourceWithFilename;
import org.apache.beam.sdk.io.TextSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Bounded source: the lines of every file matching a pattern, each keyed by its file name, read with Beam's own
 * splittable text reading (files are streamed and split into ranges, never loaded whole).
 */
public class BatchFileSource extends PTransform<PBegin, PCollection<KV<String, String>>> {

  /**
   * Split files into ranges of this size: large files are read in parallel, and a runner that holds a whole bundle
   * in memory (the DirectRunner) holds at most one range of lines per step.
   */
  private static final long DESIRED_BUNDLE_SIZE_BYTES = 16L * 1024 * 1024;

  private final String filePattern;

  public BatchFileSource(String filePattern) {
    this.filePattern = filePattern;
  }

  @Override
  public PCollection<KV<String, String>> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", FileIO.match().filepattern(filePattern).withEmptyMatchTreatment(
            EmptyMatchTreatment.DISALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply(
            "ReadLinesWithFileName",
            new ReadAllViaFileBasedSourceWithFilename<>(
                DESIRED_BUNDLE_SIZE_BYTES,
                // A null delimiter lets TextSource accept \n, \r\n and \r line endings.
                path -> new TextSource(StaticValueProvider.of(path), EmptyMatchTreatment.DISALLOW, null),
                KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
  }
}
