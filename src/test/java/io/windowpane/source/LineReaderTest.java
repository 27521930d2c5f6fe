package io.windowpane.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.ByteStringOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lines and their start offsets for every kind of line ending, and the property splittable reading rests on: for
 * any split point, the lines starting before it (read from 0) and the lines read from it make up every line exactly
 * once.
 */
class LineReaderTest {

  record Line(long start, String text) {}

  private static List<Line> read(byte[] content, long from) throws IOException {
    List<Line> lines = new ArrayList<>();
    try (LineReader reader = LineReader.startingAt(new InMemoryChannel(content), from)) {
      while (reader.next()) {
        lines.add(new Line(reader.lineStart(), reader.line()));
      }
    }
    return lines;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void splitsOnNewlineCarriageReturnAndBoth() throws IOException {
    assertThat(read(utf8("a\nbb\r\nc\rd"), 0)).containsExactly(
        new Line(0, "a"), new Line(2, "bb"), new Line(6, "c"), new Line(8, "d"));
  }

  @Test
  void keepsEmptyLinesButNoPhantomLineAfterTheLastEnding() throws IOException {
    assertThat(read(utf8("a\n\n\r\nb\n"), 0)).containsExactly(
        new Line(0, "a"), new Line(2, ""), new Line(3, ""), new Line(5, "b"));
    assertThat(read(new byte[0], 0)).isEmpty();
  }

  @Test
  void dropsTheByteOrderMarkButCountsItInTheFirstLine() throws IOException {
    byte[] content = utf8("\uFEFFa\nb");
    assertThat(read(content, 0)).containsExactly(new Line(0, "a"), new Line(5, "b"));
    assertThat(read(content, 1)).containsExactly(new Line(5, "b"));
  }

  @Test
  void decodesMultiByteCharacters() throws IOException {
    assertThat(read(utf8("é€😀\nx"), 0)).containsExactly(new Line(0, "é€😀"), new Line(10, "x"));
  }

  @Test
  void startsAtTheFirstLineThatStartsAtOrAfterTheOffset() throws IOException {
    byte[] content = utf8("aa\r\nbb\ncc");
    assertThat(read(content, 1)).containsExactly(new Line(4, "bb"), new Line(7, "cc"));
    assertThat(read(content, 3)).containsExactly(new Line(4, "bb"), new Line(7, "cc")); // inside "\r\n"
    assertThat(read(content, 4)).containsExactly(new Line(4, "bb"), new Line(7, "cc"));
    assertThat(read(content, 5)).containsExactly(new Line(7, "cc"));
    assertThat(read(content, 9)).isEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void everySplitPointReadsEveryLineExactlyOnce(long seed) throws IOException {
    // Lines up to 100 KB with random endings, so lines and "\r\n" pairs straddle the 64 KB read buffer.
    Random random = new Random(seed);
    ByteStringOutputStream out = new ByteStringOutputStream();
    String[] endings = {"\n", "\r\n", "\r"};
    for (int i = 0; i < 60; i++) {
      int length = random.nextInt(10) == 0 ? random.nextInt(100_000) : random.nextInt(50);
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < length; c++) {
        line.append(random.nextInt(20) == 0 ? 'ü' : (char) ('a' + random.nextInt(26)));
      }
      out.write(utf8(line + endings[random.nextInt(endings.length)]));
    }
    byte[] content = out.toByteString().toByteArray();
    List<Line> all = read(content, 0);
    assertThat(all).hasSize(60);

    List<Long> splits = new ArrayList<>(List.of(0L, 1L, (long) content.length - 1, (long) content.length));
    all.forEach(line -> splits.addAll(List.of(line.start() - 1, line.start(), line.start() + 1)));
    for (int i = 0; i < 200; i++) {
      splits.add((long) random.nextInt(content.length));
    }
    for (long split : splits) {
      if (split < 0 || split > content.length) {
        continue;
      }
      List<Line> joined = new ArrayList<>(read(content, 0).stream().filter(l -> l.start() < split).toList());
      joined.addAll(read(content, split));
      assertThat(joined).as("split at %d", split).isEqualTo(all);
    }
  }

  /** A seekable channel over a byte array that hands out at most 1000 bytes per read, as a slow stream may. */
  private static final class InMemoryChannel implements SeekableByteChannel {
    private final byte[] content;
    private int position;
    private boolean open = true;

    InMemoryChannel(byte[] content) {
      this.content = content;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= content.length) {
        return -1;
      }
      int n = Math.min(Math.min(dst.remaining(), 1000), content.length - position);
      dst.put(content, position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = (int) newPosition;
      return this;
    }

    @Override
    public long size() {
      return content.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
