package io.windowpane.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 lines from a byte channel, each with the byte offset where it starts, so that a splittable reader can claim
 * lines by offset (Beam's {@code TextSource} keeps its offsets to itself). Line endings are {@code \n},
 * {@code \r\n} and {@code \r}, as in TextSource; a UTF-8 byte order mark at the start of the file is dropped and
 * belongs to the first line.
 *
 * <p>A reader started at offset {@code from > 0} begins with the first line that starts at or after {@code from}: a
 * line belongs to the range its first byte is in, so adjacent ranges read every line exactly once.
 */
final class LineReader implements Closeable {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final int BUFFER_BYTES = 64 * 1024;

  private final ReadableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  /** File offset of the byte at buffer position 0. */
  private long bufferOffset;
  private byte[] line = new byte[256];
  private int lineLength;
  private long lineStart = -1;
  private boolean eof;

  private LineReader(ReadableByteChannel channel, long offset) {
    this.channel = channel;
    this.bufferOffset = offset;
    buffer.flip(); // empty, ready for reading
  }

  /** Lines of a channel read from its start (for example a decompressing stream). */
  static LineReader fromStart(ReadableByteChannel channel) throws IOException {
    return new LineReader(channel, 0);
  }

  /** Lines that start at or after {@code from}. */
  static LineReader startingAt(SeekableByteChannel channel, long from) throws IOException {
    if (from == 0) {
      channel.position(0);
      return fromStart(channel);
    }
    // Start one byte early: if that byte ends a line, the next line starts exactly at 'from' and is ours.
    channel.position(from - 1);
    LineReader reader = new LineReader(channel, from - 1);
    reader.skipRestOfLine();
    return reader;
  }

  /** Moves to the next line; false at the end of the input. */
  boolean next() throws IOException {
    if (!fill()) {
      return false;
    }
    lineStart = bufferOffset + buffer.position();
    lineLength = 0;
    while (fill()) {
      byte[] bytes = buffer.array();
      int start = buffer.position();
      int end = buffer.limit();
      int i = start;
      while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
        i++;
      }
      append(bytes, start, i - start);
      buffer.position(i);
      if (i < end) {
        consumeLineEnding();
        break;
      }
    }
    return true;
  }

  /** Byte offset in the file where the current line starts. */
  long lineStart() {
    return lineStart;
  }

  /** The current line, without its line ending (nor the file's byte order mark). */
  String line() {
    int skip = lineStart == 0 && startsWithByteOrderMark() ? UTF8_BOM.length : 0;
    return new String(line, skip, lineLength - skip, StandardCharsets.UTF_8);
  }

  private boolean startsWithByteOrderMark() {
    return lineLength >= UTF8_BOM.length && Arrays.equals(line, 0, UTF8_BOM.length, UTF8_BOM, 0, UTF8_BOM.length);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void skipRestOfLine() throws IOException {
    while (fill()) {
      byte b = buffer.get();
      if (b == '\n' || b == '\r') {
        buffer.position(buffer.position() - 1);
        consumeLineEnding();
        return;
      }
    }
  }

  /** At a '\n' or '\r': consumes it, and the '\n' of a "\r\n". */
  private void consumeLineEnding() throws IOException {
    byte b = buffer.get();
    if (b == '\r' && fill() && buffer.get(buffer.position()) == '\n') {
      buffer.get();
    }
  }

  /** Makes sure at least one unread byte is buffered; false at the end of the input. */
  private boolean fill() throws IOException {
    while (!buffer.hasRemaining()) {
      if (eof) {
        return false;
      }
      bufferOffset += buffer.limit();
      buffer.clear();
      int read = channel.read(buffer);
      buffer.flip();
      if (read < 0) {
        eof = true;
      }
    }
    return true;
  }

  private void append(byte[] bytes, int from, int length) {
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(bytes, from, line, lineLength, length);
    lineLength += length;
  }
}
