package io.windowpane.sink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes each string as one line to a {@link LineTarget} as soon as its bundle completes, so a stream job's rows
 * appear while it runs. Lines are gathered per bundle and written in one append, so concurrent bundles never
 * interleave inside a line.
 */
public class WriteLines extends PTransform<PCollection<String>, PDone> {

  private final LineTarget target;

  public WriteLines(LineTarget target) {
    if (target.kind() == LineTarget.Kind.SHARDS) {
      throw new IllegalArgumentException("sharded targets are written by WriteShards: " + target);
    }
    this.target = target;
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    lines.apply("WriteTo" + target.kind(), ParDo.of(new WriteLinesFn(target)));
    return PDone.in(lines.getPipeline());
  }

  static class WriteLinesFn extends DoFn<String, Void> {

    /** Flush early past this many buffered bytes, so a huge bundle does not hold all its lines in memory. */
    private static final int FLUSH_BYTES = 1 << 20;

    private final LineTarget target;
    private transient StringBuilder buffer;
    private transient FileChannel channel;

    WriteLinesFn(LineTarget target) {
      this.target = target;
    }

    @Setup
    public void setup() throws IOException {
      if (target.kind() == LineTarget.Kind.FILE) {
        channel = FileChannel.open(Path.of(target.file()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
      }
    }

    @StartBundle
    public void startBundle() {
      buffer = new StringBuilder();
    }

    @ProcessElement
    public void processElement(@Element String line) throws IOException {
      buffer.append(line).append('\n');
      if (buffer.length() >= FLUSH_BYTES) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() throws IOException {
      flush();
    }

    @Teardown
    public void teardown() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }

    private void flush() throws IOException {
      if (buffer.length() == 0) {
        return;
      }
      byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
      buffer.setLength(0);
      switch (target.kind()) {
        case FILE -> {
          ByteBuffer data = ByteBuffer.wrap(bytes);
          while (data.hasRemaining()) {
            channel.write(data);
          }
        }
        case STDOUT -> write(System.out, bytes);
        case STDERR -> write(System.err, bytes);
        case SHARDS -> throw new IllegalStateException("not written here: " + target);
      }
    }

    private static void write(PrintStream stream, byte[] bytes) {
      synchronized (stream) {
        stream.write(bytes, 0, bytes.length);
        stream.flush();
      }
    }
  }
}
