package io.windowpane.source;

import io.windowpane.pipeline.LineChunk;
import io.windowpane.pipeline.LineChunkCoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Bounded source: the lines of every file matching a pattern, in {@link LineChunk}s named after their file, read
 * by a splittable DoFn over byte ranges (files are streamed, never loaded whole).
 *
 * <p>Why a splittable DoFn rather than one read per file range: a runner may resume a restriction later instead of
 * reading it to the end in one go. The DirectRunner does exactly that (it checkpoints a call after about 100
 * outputs or a second) and queues the rest behind the work already produced, so the lines in memory stay bounded
 * by a few chunks per range however large the input; a plain DoFn's whole range would sit in memory as one bundle
 * before the next step sees any of it.
 */
public class BatchFileSource extends PTransform<PBegin, PCollection<LineChunk>> {

  /** Uncompressed files are split into this many ranges to be read in parallel... */
  static final int RANGES_PER_FILE = 4;
  /** ...of at least this size. */
  static final long MIN_RANGE_BYTES = 16L * 1024 * 1024;
  /** Lines per chunk: enough to make per-element costs negligible. */
  static final int LINES_PER_CHUNK = 1_000;
  /**
   * Chunks per call before the reader hands the rest of its range back to the runner. On the DirectRunner the lines
   * in memory are about (ranges being read) x (one call's lines) x (steps they pass through), so this keeps 10M
   * events in a 1 GB heap; on Flink it is one timer per 10,000 lines.
   */
  static final int CHUNKS_PER_CALL = 100;

  private final String filePattern;
  private final ReadLineChunksFn reader;

  public BatchFileSource(String filePattern) {
    this(filePattern, new ReadLineChunksFn(RANGES_PER_FILE, MIN_RANGE_BYTES, LINES_PER_CHUNK, CHUNKS_PER_CALL));
  }

  /** With other range and chunk sizes, for tests that make the runner split and checkpoint a lot. */
  BatchFileSource(String filePattern, ReadLineChunksFn reader) {
    this.filePattern = filePattern;
    this.reader = reader;
  }

  @Override
  public PCollection<LineChunk> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", FileIO.match().filepattern(filePattern).withEmptyMatchTreatment(
            EmptyMatchTreatment.DISALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadLineChunks", ParDo.of(reader))
        .setCoder(LineChunkCoder.of());
  }

  /**
   * Splittable DoFn: a file's lines in chunks. The restriction is a byte range of the file and a line belongs to the
   * range its first byte is in. A chunk is claimed by the offset of its last line before it is output (a runner
   * allows no output after a failed claim), so the tracker only allows checkpoints, which split right after the last
   * claim and so never inside a chunk. Compressed files cannot be entered in the middle: their restriction is the
   * single position 0, claimed once, and the whole file is read in one call.
   */
  @DoFn.BoundedPerElement
  static class ReadLineChunksFn extends DoFn<FileIO.ReadableFile, LineChunk> {

    private final int rangesPerFile;
    private final long minRangeBytes;
    private final int linesPerChunk;
    private final int chunksPerCall;

    ReadLineChunksFn(int rangesPerFile, long minRangeBytes, int linesPerChunk, int chunksPerCall) {
      this.rangesPerFile = rangesPerFile;
      this.minRangeBytes = minRangeBytes;
      this.linesPerChunk = linesPerChunk;
      this.chunksPerCall = chunksPerCall;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element FileIO.ReadableFile file) {
      return splittable(file) ? new OffsetRange(0, file.getMetadata().sizeBytes()) : new OffsetRange(0, 1);
    }

    @SplitRestriction
    public void splitRestriction(@Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
      long rangeBytes = Math.max(minRangeBytes, (range.getTo() - range.getFrom() + rangesPerFile - 1) / rangesPerFile);
      for (OffsetRange part : range.split(rangeBytes, 0)) {
        out.output(part);
      }
    }

    @NewTracker
    public CheckpointOnlyTracker newTracker(@Restriction OffsetRange range) {
      return new CheckpointOnlyTracker(range);
    }

    @GetRestrictionCoder
    public OffsetRange.Coder restrictionCoder() {
      return OffsetRange.Coder.of();
    }

    @ProcessElement
    public ProcessContinuation processElement(
        @Element FileIO.ReadableFile file, RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<LineChunk> out)
        throws IOException {
      String origin = file.getMetadata().resourceId().toString();
      if (!splittable(file)) {
        if (tracker.tryClaim(0L)) {
          try (LineReader lines = LineReader.fromStart(file.open())) {
            List<String> chunk = new ArrayList<>(linesPerChunk);
            while (lines.next()) {
              chunk.add(lines.line());
              if (chunk.size() == linesPerChunk) {
                out.output(new LineChunk(origin, chunk));
                chunk = new ArrayList<>(linesPerChunk);
              }
            }
            if (!chunk.isEmpty()) {
              out.output(new LineChunk(origin, chunk));
            }
          }
        }
        return ProcessContinuation.stop();
      }
      try (LineReader lines = LineReader.startingAt(file.openSeekable(), tracker.currentRestriction().getFrom())) {
        long pastRange = -1; // where the first line that is not ours starts (Long.MAX_VALUE: the end of the file)
        for (int chunks = 0; pastRange < 0; chunks++) {
          if (chunks == chunksPerCall) {
            return ProcessContinuation.resume(); // the runner checkpoints after the last claim and calls again
          }
          // The range's end moves back when the runner checkpoints: read it again for every chunk.
          long end = tracker.currentRestriction().getTo();
          List<String> chunk = new ArrayList<>(linesPerChunk);
          long lastLineStart = -1;
          while (pastRange < 0 && chunk.size() < linesPerChunk) {
            if (!lines.next()) {
              pastRange = Long.MAX_VALUE;
            } else if (lines.lineStart() >= end) {
              pastRange = lines.lineStart();
            } else {
              chunk.add(lines.line());
              lastLineStart = lines.lineStart();
            }
          }
          if (!chunk.isEmpty()) {
            if (!tracker.tryClaim(lastLineStart)) {
              // Checkpointed before this chunk: the rest of the range, this chunk included, is read later.
              return ProcessContinuation.stop();
            }
            out.output(new LineChunk(origin, chunk));
          }
        }
        tracker.tryClaim(pastRange); // fails, and so marks the whole range as done
      }
      return ProcessContinuation.stop();
    }

    private static boolean splittable(FileIO.ReadableFile file) {
      return file.getCompression() == Compression.UNCOMPRESSED && file.getMetadata().isReadSeekEfficient();
    }
  }

  /**
   * Offset tracker that allows checkpoints (a split right after the last claimed position) but no splits further
   * ahead, which could fall inside a chunk that is read but not yet claimed.
   */
  static final class CheckpointOnlyTracker extends OffsetRangeTracker {

    CheckpointOnlyTracker(OffsetRange range) {
      super(range);
    }

    @Override
    public SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
      return fractionOfRemainder == 0 ? super.trySplit(0) : null;
    }
  }
}
