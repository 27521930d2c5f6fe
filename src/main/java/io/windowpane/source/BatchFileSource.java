package io.windowpane.source;

import io.windowpane.pipeline.Coders;
import io.windowpane.pipeline.LineChunk;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.Create;
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
 * by a splittable DoFn (files are streamed, never loaded whole).
 *
 * <p>Why this shape. The matched files become ONE element, laid end to end in one byte range, and that range is
 * split into a fixed number of parts however many files there are. Each part is read a limited number of chunks
 * per call; then the reader hands the rest back to the runner. The DirectRunner queues the rest behind the work
 * already produced, so the lines in memory are about (parts) x (one call's lines) x (steps they pass through),
 * whatever the input's size or number of files. A plain DoFn per file range would put a whole range in memory as
 * one bundle, and the DirectRunner reads every range before the next step sees the first.
 */
public class BatchFileSource extends PTransform<PBegin, PCollection<LineChunk>> {

  /** The input is split into this many parts, read in parallel... */
  static final int PARTS = 4;
  /** ...of at least this size. */
  static final long MIN_PART_BYTES = 16L * 1024 * 1024;
  /** Lines per chunk: enough to make per-element costs negligible. */
  static final int LINES_PER_CHUNK = 1_000;
  /**
   * Chunks per call before the reader hands the rest of its part back to the runner: 100,000 lines, so that a 1 GB
   * heap holds 10M events on the DirectRunner while its per-bundle costs stay small.
   */
  static final int CHUNKS_PER_CALL = 100;

  private final String filePattern;
  private final ReadLineChunksFn reader;

  public BatchFileSource(String filePattern) {
    this(filePattern, new ReadLineChunksFn(PARTS, MIN_PART_BYTES, LINES_PER_CHUNK, CHUNKS_PER_CALL));
  }

  /** With other part and chunk sizes, for tests that make the runner split and checkpoint a lot. */
  BatchFileSource(String filePattern, ReadLineChunksFn reader) {
    this.filePattern = filePattern;
    this.reader = reader;
  }

  @Override
  public PCollection<LineChunk> expand(PBegin begin) {
    return begin
        .apply("FilePattern", Create.of(filePattern).withCoder(StringUtf8Coder.of()))
        .apply("MatchFiles", ParDo.of(new MatchFilesFn()))
        .setCoder(SerializableCoder.of(InputFiles.class))
        .apply("ReadLineChunks", ParDo.of(reader))
        .setCoder(Coders.LINE_CHUNK);
  }

  /** One input file: where it is, its size when matched, and whether it can be entered in the middle. */
  record InputFile(String path, long sizeBytes, boolean splittable) implements Serializable {}

  /** The matched files in path order, laid end to end: file i takes the offsets after files 0 to i-1. */
  record InputFiles(List<InputFile> files) implements Serializable {

    InputFiles {
      files = List.copyOf(files);
    }

    long totalBytes() {
      return files.stream().mapToLong(InputFile::sizeBytes).sum();
    }
  }

  /** The pattern's files, matched when the pipeline runs (on a cluster, where the workers see them). */
  static class MatchFilesFn extends DoFn<String, InputFiles> {
    @ProcessElement
    public void processElement(@Element String pattern, OutputReceiver<InputFiles> out) throws IOException {
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.DISALLOW);
      List<InputFile> files = new ArrayList<>();
      for (MatchResult.Metadata file : match.metadata()) {
        String path = file.resourceId().toString();
        boolean splittable = Compression.detect(path) == Compression.UNCOMPRESSED && file.isReadSeekEfficient();
        files.add(new InputFile(path, file.sizeBytes(), splittable));
      }
      files.sort(Comparator.comparing(InputFile::path));
      out.output(new InputFiles(files));
    }
  }

  /**
   * Splittable DoFn: the files' lines in chunks. The restriction is a range of offsets over all files end to end;
   * a line belongs to the part its first byte is in, a compressed file (which cannot be entered in the middle) to
   * the part its first byte is in, read whole. A chunk is claimed by the offset of its last line before it is
   * output (a runner allows no output after a failed claim), so the tracker only allows checkpoints, which split
   * right after the last claim and so never inside a chunk.
   */
  @DoFn.BoundedPerElement
  static class ReadLineChunksFn extends DoFn<InputFiles, LineChunk> {

    private final int parts;
    private final long minPartBytes;
    private final int linesPerChunk;
    private final int chunksPerCall;

    ReadLineChunksFn(int parts, long minPartBytes, int linesPerChunk, int chunksPerCall) {
      this.parts = parts;
      this.minPartBytes = minPartBytes;
      this.linesPerChunk = linesPerChunk;
      this.chunksPerCall = chunksPerCall;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element InputFiles input) {
      return new OffsetRange(0, input.totalBytes());
    }

    @SplitRestriction
    public void splitRestriction(@Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
      long partBytes = Math.max(minPartBytes, (range.getTo() - range.getFrom() + parts - 1) / parts);
      for (OffsetRange part : range.split(partBytes, 0)) {
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
        @Element InputFiles input, RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<LineChunk> out)
        throws IOException {
      Call call = new Call(tracker, out);
      long from = tracker.currentRestriction().getFrom();
      long fileStart = 0;
      for (InputFile file : input.files()) {
        long fileEnd = fileStart + file.sizeBytes();
        // Earlier parts read the files that end before this range, and the compressed files that start before it.
        if (fileEnd > from && (file.splittable() || fileStart >= from)) {
          FileResult result = file.splittable()
              ? call.readRange(file, fileStart, Math.max(0, from - fileStart))
              : call.readWhole(file, fileStart);
          if (result == FileResult.PAST_RANGE) {
            return ProcessContinuation.stop();
          }
          if (result == FileResult.CALL_FULL) {
            return ProcessContinuation.resume(); // the runner checkpoints after the last claim and calls again
          }
        }
        fileStart = fileEnd;
      }
      tracker.tryClaim(Long.MAX_VALUE); // fails, and so marks the whole range as done
      return ProcessContinuation.stop();
    }

    /** How reading one file stopped. */
    private enum FileResult {
      END_OF_FILE,
      /** At a line (or file) beyond the range, or checkpointed: a failed claim ends the call. */
      PAST_RANGE,
      /** This call output its share of chunks. */
      CALL_FULL
    }

    /** One processElement call: its tracker, its output and the chunks it has output so far. */
    private final class Call {
      private final RestrictionTracker<OffsetRange, Long> tracker;
      private final OutputReceiver<LineChunk> out;
      private int chunks;

      Call(RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<LineChunk> out) {
        this.tracker = tracker;
        this.out = out;
      }

      /** The lines of an uncompressed file from a local offset, while they start inside the range. */
      FileResult readRange(InputFile file, long fileStart, long localFrom) throws IOException {
        try (LineReader lines = LineReader.startingAt(open(file, SeekableByteChannel.class), localFrom)) {
          while (chunks < chunksPerCall) {
            // The range's end moves back when the runner checkpoints: read it again for every chunk.
            long end = tracker.currentRestriction().getTo();
            List<String> chunk = new ArrayList<>(linesPerChunk);
            long[] offsets = new long[linesPerChunk];
            long lastLineStart = -1;
            while (chunk.size() < linesPerChunk) {
              // Bytes appended after the file was matched belong to no range: the file ends at its matched size.
              if (!lines.next() || lines.lineStart() >= file.sizeBytes()) {
                return output(file, chunk, offsets, lastLineStart) ? FileResult.END_OF_FILE : FileResult.PAST_RANGE;
              }
              long lineStart = fileStart + lines.lineStart();
              if (lineStart >= end) {
                if (output(file, chunk, offsets, lastLineStart)) {
                  tracker.tryClaim(lineStart); // fails: the line is a later part's
                }
                return FileResult.PAST_RANGE;
              }
              offsets[chunk.size()] = lines.lineStart();
              chunk.add(lines.line());
              lastLineStart = lineStart;
            }
            if (!output(file, chunk, offsets, lastLineStart)) {
              return FileResult.PAST_RANGE;
            }
          }
          return FileResult.CALL_FULL;
        }
      }

      /** A compressed file, claimed by its first offset and read whole in this call. */
      FileResult readWhole(InputFile file, long fileStart) throws IOException {
        if (!tracker.tryClaim(fileStart)) {
          return FileResult.PAST_RANGE;
        }
        ReadableByteChannel compressed = open(file, ReadableByteChannel.class);
        try (LineReader lines = LineReader.fromStart(Compression.detect(file.path()).readDecompressed(compressed))) {
          List<String> chunk = new ArrayList<>(linesPerChunk);
          long[] offsets = new long[linesPerChunk];
          while (lines.next()) {
            offsets[chunk.size()] = lines.lineStart(); // in the decompressed text
            chunk.add(lines.line());
            if (chunk.size() == linesPerChunk) {
              out.output(new LineChunk(file.path(), chunk, offsets));
              chunk = new ArrayList<>(linesPerChunk);
            }
          }
          if (!chunk.isEmpty()) {
            out.output(new LineChunk(file.path(), chunk, Arrays.copyOf(offsets, chunk.size())));
          }
          chunks++; // a whole file counts as one chunk: it cannot be stopped in the middle anyway
          return FileResult.END_OF_FILE;
        }
      }

      /**
       * Claims a chunk by its last line and outputs it; false if the claim failed (the runner checkpointed before
       * it: the chunk is read again by the call that resumes the range). An empty chunk needs nothing.
       */
      private boolean output(InputFile file, List<String> chunk, long[] offsets, long lastLineStart) {
        if (chunk.isEmpty()) {
          return true;
        }
        if (!tracker.tryClaim(lastLineStart)) {
          return false;
        }
        out.output(new LineChunk(file.path(), chunk, Arrays.copyOf(offsets, chunk.size())));
        chunks++;
        return true;
      }
    }

    private static <C extends ReadableByteChannel> C open(InputFile file, Class<C> type) throws IOException {
      return type.cast(FileSystems.open(FileSystems.matchNewResource(file.path(), false)));
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
