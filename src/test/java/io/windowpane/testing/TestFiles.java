package io.windowpane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Test input files. */
public final class TestFiles {

  private TestFiles() {}

  /**
   * A .gz file cut off in the middle: its gzip header is valid, so Beam decompresses it, and reading fails with
   * an I/O error inside the running pipeline.
   */
  public static Path truncatedGzip(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 2000; i++) {
        gzip.write(("{\"user_id\":\"u" + i + "\",\"amount\":" + i + ",\"event_time\":" + (1767866400 + i * 7919 % 3600)
            + "}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] all = bytes.toByteArray();
    Files.write(file, Arrays.copyOf(all, all.length / 2));
    return file;
  }
}
