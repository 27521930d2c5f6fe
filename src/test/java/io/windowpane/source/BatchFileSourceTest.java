package io.windowpane.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.LineChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The splittable file reader on the DirectRunner, with parts and calls so small that the runner splits and
 * checkpoints constantly: every line arrives exactly once, in chunks named after its file, also from compressed and
 * empty files and from many files at once.
 */
@ExtendWith(TestPipelineExtension.class)
class BatchFileSourceTest {

  @TempDir Path dir;

  /** 7 parts of at least 100 bytes, 3 lines per chunk, 2 chunks per call. */
  private static BatchFileSource tiny(String pattern) {
    return new BatchFileSource(pattern, new BatchFileSource.ReadLineChunksFn(7, 100, 3, 2));
  }

  private static List<String> lines(String prefix, int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(prefix + " line " + i + " " + "x".repeat(i % 17));
    }
    return lines;
  }

  private static void assertLines(PCollection<LineChunk> chunks, List<String> expected, String origin) {
    PAssert.that(chunks).satisfies(all -> {
      List<String> read = new ArrayList<>();
      for (LineChunk chunk : all) {
        assertThat(chunk.lines()).hasSizeBetween(1, 3);
        assertThat(chunk.origin()).endsWith(origin);
        read.addAll(chunk.lines());
      }
      assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
      return null;
    });
  }

  @Test
  void readsEveryLineOnceWhileTheRunnerSplitsAndCheckpoints(TestPipeline p) throws IOException {
    List<String> expected = lines("plain", 500);
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, String.join("\r\n", expected) + "\n");

    assertLines(p.apply(tiny(file.toString())), expected, "events.jsonl");
    p.run().waitUntilFinish();
  }

  @Test
  void readsCompressedFilesWhole(TestPipeline p) throws IOException {
    List<String> expected = lines("zipped", 300);
    Path file = dir.resolve("events.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", expected) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    assertLines(p.apply(tiny(file.toString())), expected, "events.jsonl.gz");
    p.run().waitUntilFinish();
  }

  @Test
  void readsEveryLineOfEveryMatchedFileOnce(TestPipeline p) throws IOException {
    List<String> a = lines("a", 40);
    List<String> b = lines("b", 1);
    List<String> c = lines("c", 90);
    List<String> d = lines("d", 25);
    Files.writeString(dir.resolve("part-a.jsonl"), String.join("\n", a) + "\n");
    Files.writeString(dir.resolve("part-b.jsonl"), b.get(0)); // no line ending at all
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-c.jsonl.gz")))) {
      out.write(String.join("\n", c).getBytes(StandardCharsets.UTF_8));
    }
    Files.createFile(dir.resolve("part-empty.jsonl"));
    Files.writeString(dir.resolve("part-d.jsonl"), String.join("\r", d) + "\r");

    PAssert.that(p.apply(tiny(dir.resolve("part-*").toString()))).satisfies(all -> {
      List<String> read = new ArrayList<>();
      for (LineChunk chunk : all) {
        String file = chunk.origin().substring(chunk.origin().lastIndexOf('/') + 1);
        chunk.lines().forEach(line -> assertThat(file).startsWith("part-" + line.charAt(0)));
        read.addAll(chunk.lines());
      }
      List<String> expected = new ArrayList<>(a);
      expected.addAll(b);
      expected.addAll(c);
      expected.addAll(d);
      assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void readsNothingFromAnEmptyFile(TestPipeline p) throws IOException {
    Path file = dir.resolve("empty.jsonl");
    Files.createFile(file);

    PAssert.that(p.apply(tiny(file.toString()))).empty();
    p.run().waitUntilFinish();
  }
}
