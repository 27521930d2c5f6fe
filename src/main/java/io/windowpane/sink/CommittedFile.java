package io.windowpane.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file that {@link ExactlyOnceLines} appends batches to, each exactly once.
 *
 * <p>Beside the file, a small commit record ({@code .<name>.committed}) says which run wrote last, the number of its
 * last batch, and the file's length after it. A batch is appended, then the record is replaced atomically. A crash
 * between the two leaves the batch's bytes (or, cut off mid-write, the first of them) after the recorded length:
 * when the same batch is committed again, only what is missing is appended. Nothing before the recorded length is
 * ever changed; a fresh run (another run id) keeps everything the file holds and appends after it.
 *
 * @param file the file (absolute: workers open it)
 */
record CommittedFile(String file) implements LineCommitter {

  private static final Logger LOG = LoggerFactory.getLogger(CommittedFile.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** What the commit record holds. */
  record Commit(String run, long batch, long length) {}

  @Override
  public Open open(String run) throws IOException {
    Path path = Path.of(file);
    Files.createDirectories(path.toAbsolutePath().getParent());
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      Path record = recordOf(path);
      Commit commit = Files.exists(record) ? JSON.readValue(record.toFile(), Commit.class) : null;
      OpenFile open = new OpenFile(path, record, channel, commit);
      if (commit == null || !commit.run().equals(run)) {
        open.startRun(run);
      } else if (channel.size() < commit.length()) {
        LOG.warn("{} is shorter than when it was last committed ({} < {} bytes): it was truncated or replaced by"
            + " something else; appending after what it holds", path, channel.size(), commit.length());
        open.record(new Commit(run, commit.batch(), channel.size()));
      }
      return open;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  static Path recordOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".committed");
  }

  private static final class OpenFile implements Open {

    private final Path path;
    private final Path record;
    private final FileChannel channel;
    private Commit commit;

    OpenFile(Path path, Path record, FileChannel channel, Commit commit) {
      this.path = path;
      this.record = record;
      this.channel = channel;
      this.commit = commit;
    }

    /** A new run appends after what the file holds, less an incomplete last line that a crash left. */
    void startRun(String run) throws IOException {
      long size = channel.size();
      long end = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (end > 0) {
        one.clear();
        channel.read(one, end - 1);
        if (one.get(0) == '\n') {
          break;
        }
        end--;
      }
      if (end < size) {
        LOG.warn("{}: cutting off an incomplete last line of {} bytes that a crash left", path, size - end);
        channel.truncate(end);
      }
      record(new Commit(run, -1, end));
    }

    @Override
    public long lastCommitted() {
      return commit.batch();
    }

    @Override
    public void commit(long batch, List<KV<String, String>> lines) throws IOException {
      if (batch <= commit.batch()) {
        return;
      }
      StringBuilder text = new StringBuilder();
      lines.forEach(line -> text.append(line.getValue()).append('\n'));
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      int already = written(bytes);
      ByteBuffer data = ByteBuffer.wrap(bytes, already, bytes.length - already);
      channel.position(commit.length() + already);
      while (data.hasRemaining()) {
        channel.write(data);
      }
      channel.force(false);
      record(new Commit(commit.run(), batch, commit.length() + bytes.length));
    }

    /**
     * How much of the batch is already after the recorded length (written before a crash cut off its commit); what
     * is there and is not the start of this batch (nothing else appends) is cut off.
     */
    private int written(byte[] batch) throws IOException {
      long tail = channel.size() - commit.length();
      if (tail <= 0) {
        return 0;
      }
      ByteBuffer there = ByteBuffer.allocate((int) Math.min(tail, batch.length));
      channel.read(there, commit.length());
      byte[] prefix = Arrays.copyOf(there.array(), there.position());
      if (tail <= batch.length && Arrays.equals(prefix, Arrays.copyOf(batch, prefix.length))) {
        return prefix.length;
      }
      LOG.warn("{}: {} bytes after the last commit are not the batch being committed; cutting them off", path, tail);
      channel.truncate(commit.length());
      return 0;
    }

    private void record(Commit next) throws IOException {
      Path temporary = record.resolveSibling(record.getFileName() + ".tmp");
      Files.write(temporary, JSON.writeValueAsBytes(next));
      Files.move(temporary, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      commit = next;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
