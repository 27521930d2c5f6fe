package io.windowpane.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;

/**
 * A CSV file's header (SPEC section 14): the column names of its first line, which name the fields a mapping's paths
 * point to; or why it cannot be read.
 *
 * @param columns the column names, in order; empty where there is a problem
 * @param problem why the header is unusable, else null
 */
public record CsvHeader(List<String> columns, String problem) {

  /** The header of a file (compressed or not), read through Beam's file systems, as the file's lines are. */
  static CsvHeader of(String file, EventReader reader) {
    String first;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(
        Compression.detect(file).readDecompressed(FileSystems.open(FileSystems.matchNewResource(file, false)))),
        StandardCharsets.UTF_8))) {
      first = lines.readLine();
    } catch (IOException e) {
      return new CsvHeader(List.of(), "cannot read its first line: " + e.getMessage());
    }
    if (first == null || first.isBlank()) {
      return new CsvHeader(List.of(), "its first line is empty");
    }
    try {
      return new CsvHeader(reader.csvHeader(first.startsWith("\uFEFF") ? first.substring(1) : first), null);
    } catch (InvalidEventException e) {
      return new CsvHeader(List.of(), "its first line is no CSV header: " + e.getMessage());
    }
  }
}
