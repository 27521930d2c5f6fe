package io.windowpane.pipeline;

import java.util.List;

/**
 * Consecutive raw input lines from one origin (a file, a scenario step): the unit the sources emit and
 * {@link ParseEvents} consumes. Lines travel in chunks rather than one element each so that a runner's per-element
 * bookkeeping is paid once per chunk, and so that a reader can hand over a bounded amount of input at a time.
 */
public record LineChunk(String origin, List<String> lines) {

  public LineChunk {
    lines = List.copyOf(lines);
  }

  public static LineChunk of(String origin, String line) {
    return new LineChunk(origin, List.of(line));
  }
}
