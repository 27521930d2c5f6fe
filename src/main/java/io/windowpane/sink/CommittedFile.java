package io.windowpane.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
    boolean created = !Files.exists(path);
    Channels channels = Channels.open(path);
    OpenFile open = null;
    try {
      if (created) {
        syncFolder(path); // the new file's entry survives a host crash with the first batch it holds
      }
      Path record = recordOf(path);
      Commit commit = Files.exists(record) ? readRecord(record) : null;
      boolean rowsWithoutRecord = commit == null && channels.reads().size() > 0;
      open = new OpenFile(path, record, channels, commit);
      if (rowsWithoutRecord) {
        // No record is written until the first commit: a start that refuses (its restored batches could be there
        // already) must find the record missing again on the next attempt, not one this start made up.
        open.unknownProgress = rowsWithoutRecord(path);
        open.commit = new Commit(run, -1, open.completeLines());
      } else if (commit == null || !commit.run().equals(run)) {
        open.startRun(run);
      } else {
        open.followOutsideChanges();
      }
      return open;
    } catch (IOException | RuntimeException e) {
      channels.close();
      throw e;
    }
  }

  /**
   * The file's two channels and its identity. One reads the file and cuts off what is not committed; the other
   * writes batches, always at the file's end (O_APPEND), so that a file cut from outside after the last look at its
   * length, and before the write, gets the batch after what it then holds, never after a hole of zero bytes. Two,
   * because Java opens no channel that both reads and appends.
   */
  private record Channels(FileChannel reads, FileChannel appends, Object key) implements Closeable {

    /**
     * Opens both on one and the same file: again if the file was replaced in between (logrotate's create mode),
     * told by its identity and, where the platform has none, by the two channels' sizes.
     */
    static Channels open(Path path) throws IOException {
      while (true) {
        FileChannel reads = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileChannel appends = null;
        try {
          Object before = fileKey(path);
          appends = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
          Object after = fileKey(path);
          if (Objects.equals(before, after) && reads.size() == appends.size()) {
            return new Channels(reads, appends, after);
          }
        } catch (IOException | RuntimeException e) {
          closeAll(reads, appends);
          throw e;
        }
        closeAll(reads, appends);
      }
    }

    @Override
    public void close() throws IOException {
      closeAll(reads, appends);
    }

    private static void closeAll(FileChannel reads, FileChannel appends) throws IOException {
      try (FileChannel first = reads; FileChannel second = appends) {
        // both closed, a null one skipped
      }
    }
  }

  /** The file's identity (device and inode; null where the platform has none): another one means it was replaced. */
  private static Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
  }

  /** The commit record; one a host crash left empty or torn is refused, naming it, rather than guessed at. */
  private static Commit readRecord(Path record) throws IOException {
    try {
      return JSON.readValue(record.toFile(), Commit.class);
    } catch (IOException e) {
      throw new IOException("the commit record " + record + " cannot be read (" + e.getMessage() + "): it says how"
          + " much of the file is committed. Written since with a sync, such a record is complete or the previous"
          + " one; restore it, or move the file and its record away to start a new one", e);
    }
  }

  /**
   * Forces a folder's entries (a created or renamed file) to disk: a rename is durable only once its folder is.
   * Where the platform cannot open a folder (Windows), its file system orders such updates itself.
   */
  static void syncFolder(Path file) throws IOException {
    try (FileChannel folder = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      folder.force(true);
    } catch (java.nio.file.AccessDeniedException | UnsupportedOperationException e) {
      LOG.debug("cannot sync the folder of {}", file, e);
    }
  }

  /**
   * Prepares {@code file} for a run before its job starts: what keeps the run from writing it, or null. A record that
   * cannot be read (an IOException naming it); and when {@code resuming}, a file that holds rows but whose record is
   * gone (a copy of {@code *.jsonl} only, a clean-up): a resumed run cannot tell the batches its checkpoint staged from
   * rows the file already holds. A fresh run takes such a file over now, recording its complete lines as written
   * before the run, so that a stop before the run's first commit resumes with a record.
   */
  static String prepareStart(Path file, String run, boolean resuming) throws IOException {
    Path record = recordOf(file);
    if (Files.exists(record)) {
      readRecord(record);
      return null;
    }
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return null;
    }
    if (resuming) {
      return rowsWithoutRecord(file);
    }
    try (OpenFile open = (OpenFile) new CommittedFile(file.toString()).open(run)) {
      open.startRun(run);
    }
    return null;
  }

  private static String rowsWithoutRecord(Path file) {
    return file + " holds rows, but its commit record " + recordOf(file).getFileName() + " is missing";
  }

  static Path recordOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".committed");
  }

  private static final class OpenFile implements Open {

    private final Path path;
    private final Path record;
    private Channels channels;
    private Commit commit;
    /** Set when the file was opened with rows and no record ({@link Open#unknownProgress}). */
    private String unknownProgress;

    OpenFile(Path path, Path record, Channels channels, Commit commit) {
      this.path = path;
      this.record = record;
      this.channels = channels;
      this.commit = commit;
    }

    /** A new run appends after what the file holds, less an incomplete last line that a crash left. */
    void startRun(String run) throws IOException {
      record(new Commit(run, -1, completeLines()));
    }

    /** The file's length without an incomplete last line, which is cut off (a crash or an outside cut left it). */
    private long completeLines() throws IOException {
      long size = channels.reads().size();
      long end = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (end > 0) {
        one.clear();
        channels.reads().read(one, end - 1);
        if (one.get(0) == '\n') {
          break;
        }
        end--;
      }
      if (end < size) {
        LOG.warn("{}: cutting off an incomplete last line of {} bytes", path, size - end);
        channels.reads().truncate(end);
      }
      return end;
    }

    @Override
    public long lastCommitted() {
      return commit.batch();
    }

    @Override
    public String unknownProgress() {
      return unknownProgress;
    }

    /**
     * What changed the file from outside since the last commit, followed instead of written over: a file moved away
     * or replaced (logrotate's create mode) is continued in a new file at the path, and one shorter than committed
     * (truncated, as logrotate's copytruncate does) is appended to after what it holds, so that no write leaves a
     * hole of zero bytes.
     */
    void followOutsideChanges() throws IOException {
      boolean exists = Files.exists(path);
      Object now = exists ? fileKey(path) : null;
      // a platform without file keys (Windows) tells a replaced file only by its length
      boolean replaced = !exists || (channels.key() != null && !channels.key().equals(now));
      if (replaced) {
        LOG.warn("{} was moved away or replaced while the job wrote it: committed rows go on in a new file there",
            path);
        channels.close();
        channels = Channels.open(path);
        syncFolder(path);
        // what the record counted is in the old file: here, everything complete is someone else's
        record(new Commit(commit.run(), commit.batch(), completeLines()));
      } else if (channels.reads().size() < commit.length()) {
        LOG.warn("{} is shorter than when it was last committed ({} < {} bytes): it was truncated or replaced by"
            + " something else; appending after what it holds", path, channels.reads().size(), commit.length());
        record(new Commit(commit.run(), commit.batch(), completeLines()));
      }
    }

    @Override
    public void commit(long batch, List<KV<String, String>> lines) throws IOException {
      if (batch <= commit.batch()) {
        return;
      }
      followOutsideChanges();
      StringBuilder text = new StringBuilder();
      lines.forEach(line -> text.append(line.getValue()).append('\n'));
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      int already = written(bytes);
      ByteBuffer data = ByteBuffer.wrap(bytes, already, bytes.length - already);
      // at commit.length() + already, the file's end, unless it was cut from outside since the look above
      append(data);
      long end = channels.reads().size();
      if (already > 0 && end != commit.length() + bytes.length) {
        // cut from outside since the look: the batch's start went with it, so its end alone would be a torn line
        LOG.warn("{} changed from outside while batch {} was completed; writing the batch whole after what it holds",
            path, batch);
        channels.reads().truncate(end - (bytes.length - already));
        append(ByteBuffer.wrap(bytes));
        end = channels.reads().size();
      }
      channels.appends().force(false);
      record(new Commit(commit.run(), batch, end)); // the file's end: where the next batch goes
    }

    private void append(ByteBuffer data) throws IOException {
      while (data.hasRemaining()) {
        channels.appends().write(data);
      }
    }

    /**
     * How much of the batch is already after the recorded length (written before a crash cut off its commit); what
     * is there and is not the start of this batch (nothing else appends) is cut off.
     */
    private int written(byte[] batch) throws IOException {
      long tail = channels.reads().size() - commit.length();
      if (tail <= 0) {
        return 0;
      }
      ByteBuffer there = ByteBuffer.allocate((int) Math.min(tail, batch.length));
      while (there.hasRemaining() && channels.reads().read(there, commit.length() + there.position()) >= 0) {
        // a read may return fewer bytes than asked for
      }
      byte[] prefix = Arrays.copyOf(there.array(), there.position());
      if (tail <= batch.length && Arrays.equals(prefix, Arrays.copyOf(batch, prefix.length))) {
        return prefix.length;
      }
      LOG.warn("{}: {} bytes after the last commit are not the batch being committed; cutting them off", path, tail);
      channels.reads().truncate(commit.length());
      return 0;
    }

    /**
     * Replaces the record durably: the new one is written and forced to disk under a temporary name, renamed over
     * the old one, and the folder forced, so that after a host crash the record is the old one or the new one, never
     * empty, and never newer than the data it counts (forced before it).
     */
    private void record(Commit next) throws IOException {
      Path temporary = record.resolveSibling(record.getFileName() + ".tmp");
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(next));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temporary, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      syncFolder(record);
      commit = next;
    }

    @Override
    public void close() throws IOException {
      channels.close();
    }
  }
}
