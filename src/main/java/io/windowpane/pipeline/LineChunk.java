package io.windowpane.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * Consecutive raw input lines from one origin (a file, a scenario step, a Kafka partition): the unit the sources
 * emit and {@link ParseEvents} consumes. Lines travel in chunks rather than one element each so that a runner's
 * per-element bookkeeping is paid once per chunk, and so that a reader can hand over a bounded amount of input at a
 * time. Each line has its offset in its origin, so a rejected line can be found again: the byte offset where it
 * starts in its file, a Kafka record's offset in its partition, or {@link #NO_OFFSET} where there is none.
 */
public record LineChunk(String origin, List<String> lines, long[] offsets) {

  public static final long NO_OFFSET = -1;

  public LineChunk {
    lines = List.copyOf(lines);
    offsets = offsets.clone();
    if (offsets.length != lines.size()) {
      throw new IllegalArgumentException(offsets.length + " offsets for " + lines.size() + " lines");
    }
  }

  /** Lines without known offsets. */
  public LineChunk(String origin, List<String> lines) {
    this(origin, lines, noOffsets(lines.size()));
  }

  public static LineChunk of(String origin, String line) {
    return new LineChunk(origin, List.of(line));
  }

  public static LineChunk of(String origin, String line, long offset) {
    return new LineChunk(origin, List.of(line), new long[] {offset});
  }

  /** The offset of line {@code i}, or {@link #NO_OFFSET}. */
  public long offset(int i) {
    return offsets[i];
  }

  private static long[] noOffsets(int count) {
    long[] offsets = new long[count];
    Arrays.fill(offsets, NO_OFFSET);
    return offsets;
  }

  @Override
  public long[] offsets() {
    return offsets.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LineChunk that && origin.equals(that.origin) && lines.equals(that.lines)
        && Arrays.equals(offsets, that.offsets);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * origin.hashCode() + lines.hashCode()) + Arrays.hashCode(offsets);
  }

  @Override
  public String toString() {
    return "LineChunk[" + origin + ", " + lines.size() + " lines from offset " + (offsets.length == 0 ? "-" : offsets[0])
        + "]";
  }
}
