package io.windowpane.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of a live job's checkpoints ({@code agg.checkpoint.dir}), read and tidied through Flink's own
 * {@link FileSystem}, so that it can be any URI Flink's file systems serve (a local folder, a mount shared with a
 * cluster). Its layout:
 *
 * <pre>
 *   windowpane-job.json                        which run the folder holds, and the configuration it was taken with
 *   run-&lt;id&gt;/&lt;flink job id&gt;/chk-&lt;n&gt;/_metadata   Flink's retained checkpoints of that run
 *   run-&lt;id&gt;/savepoints/savepoint-&lt;..&gt;/_metadata    the savepoint a clean stop takes
 * </pre>
 *
 * A run is one line of checkpoints: a fresh start begins a new run, a resume continues the run it resumes. Only
 * {@code windowpane-job.json} and {@code run-*} folders are ever written or deleted here.
 */
final class CheckpointFolder {

  static final String JOB_FILE = "windowpane-job.json";
  private static final String RUN_PREFIX = "run-";
  private static final String METADATA = "_metadata";
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFolder.class);

  private final URI root;
  private final FileSystem fs;

  private CheckpointFolder(URI root, FileSystem fs) {
    this.root = root;
    this.fs = fs;
  }

  /**
   * @param dir a folder, relative to the working directory or absolute, or a URI such as {@code file:///data/cp}
   */
  static CheckpointFolder of(String dir) throws IOException {
    URI uri = dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*") ? URI.create(dir)
        : Paths.get(dir).toAbsolutePath().normalize().toUri();
    String text = uri.toString();
    URI root = URI.create(text.endsWith("/") ? text : text + "/");
    return new CheckpointFolder(root, FileSystem.get(root));
  }

  URI uri() {
    return root;
  }

  /** Where Flink keeps the checkpoints of a run ({@code stateBackendStoragePath}). */
  URI runFolder(String run) {
    return root.resolve(RUN_PREFIX + run + "/");
  }

  /** Where a clean stop of a run writes its savepoint. */
  URI savepointFolder(String run) {
    return runFolder(run).resolve("savepoints/");
  }

  Optional<JobRecord> readJob() throws IOException {
    Path file = new Path(root.resolve(JOB_FILE));
    if (!fs.exists(file)) {
      return Optional.empty();
    }
    try (InputStream in = fs.open(file)) {
      return Optional.of(JSON.readValue(in, JobRecord.class));
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the record under a temporary name and renames it, so that a crash never leaves half a file. */
  void writeJob(JobRecord job) throws IOException {
    fs.mkdirs(new Path(root));
    Path file = new Path(root.resolve(JOB_FILE));
    Path temporary = new Path(root.resolve(JOB_FILE + ".tmp"));
    try (OutputStream out = fs.create(temporary, FileSystem.WriteMode.OVERWRITE)) {
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(job));
    }
    fs.delete(file, false);
    if (!fs.rename(temporary, file)) {
      throw new IOException("cannot rename " + temporary + " to " + file);
    }
  }

  /**
   * The newest complete checkpoint or savepoint of a run: of the folders holding a {@code _metadata} file, which Flink
   * writes last, when the checkpoint is complete, the one with the highest checkpoint id. Ids only grow along a run
   * (a restored job counts on from the id it restored), and a savepoint takes the next id after the checkpoint it
   * follows; file times are only a tie-break, since a clock step or a coarse file system can order them wrongly.
   */
  Optional<Snapshot> newestComplete(String run) throws IOException {
    List<Ranked> restorable = new ArrayList<>();
    for (Snapshot snapshot : snapshots(run)) {
      checkpointId(snapshot).ifPresent(id -> restorable.add(new Ranked(snapshot, id)));
    }
    return restorable.stream()
        .max(Comparator.comparingLong(Ranked::checkpointId).thenComparingLong(r -> r.snapshot().completedAt()))
        .map(Ranked::snapshot);
  }

  /** A snapshot with the id its metadata holds. */
  private record Ranked(Snapshot snapshot, long checkpointId) {}

  /**
   * Deletes every run but {@code keep}, and within it every checkpoint folder and savepoint but the one holding
   * {@code keepSnapshot} (null: keep none of them).
   */
  void removeAllBut(String keep, Snapshot keepSnapshot) throws IOException {
    for (FileStatus entry : list(new Path(root))) {
      String name = entry.getPath().getName();
      if (entry.isDir() && name.startsWith(RUN_PREFIX) && !name.equals(RUN_PREFIX + keep)) {
        fs.delete(entry.getPath(), true);
      }
    }
    for (Snapshot snapshot : snapshots(keep)) {
      if (keepSnapshot == null || !snapshot.owner().equals(keepSnapshot.owner())) {
        fs.delete(new Path(snapshot.owner()), true);
      }
    }
  }

  /**
   * Every complete snapshot of a run, with the folder that owns it: a checkpoint's Flink job folder (holding its
   * shared state too), or the savepoint's own folder.
   */
  private List<Snapshot> snapshots(String run) throws IOException {
    List<Snapshot> found = new ArrayList<>();
    for (FileStatus child : list(new Path(runFolder(run)))) {
      if (!child.isDir()) {
        continue;
      }
      boolean savepoints = child.getPath().getName().equals("savepoints");
      for (FileStatus candidate : list(child.getPath())) {
        String name = candidate.getPath().getName();
        if (!candidate.isDir() || !(savepoints ? name.startsWith("savepoint-") : name.startsWith("chk-"))) {
          continue;
        }
        Path metadata = new Path(candidate.getPath(), METADATA);
        if (fs.exists(metadata)) {
          URI owner = (savepoints ? candidate : child).getPath().toUri();
          found.add(new Snapshot(candidate.getPath().toUri(), owner, fs.getFileStatus(metadata).getModificationTime()));
        }
      }
    }
    return found;
  }

  /** The id Flink's own reader finds in a snapshot's metadata; empty (not restorable) when it cannot read it. */
  private OptionalLong checkpointId(Snapshot snapshot) {
    Path metadata = new Path(new Path(snapshot.path()), METADATA);
    try (DataInputStream in = new DataInputStream(fs.open(metadata))) {
      return OptionalLong.of(Checkpoints.loadCheckpointMetadata(in, CheckpointFolder.class.getClassLoader(),
          metadata.getParent().toString()).getCheckpointId());
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} cannot be read ({}): not a snapshot to resume from", metadata, e.toString());
      return OptionalLong.empty();
    }
  }

  private FileStatus[] list(Path path) throws IOException {
    if (!fs.exists(path)) {
      return new FileStatus[0];
    }
    FileStatus[] entries = fs.listStatus(path);
    return entries == null ? new FileStatus[0] : entries;
  }

  /**
   * A complete checkpoint or savepoint.
   *
   * @param path the folder Flink restores from (holding {@code _metadata})
   * @param owner the folder deleted with it
   * @param completedAt when its metadata was written, in epoch milliseconds
   */
  record Snapshot(URI path, URI owner, long completedAt) {

    /** The path as Flink takes it in {@code execution.savepoint.path}. */
    String location() {
      String text = path.toString();
      return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** Its folder's name ({@code chk-42}, {@code savepoint-1a2b3c-...}), whichever way its location is written. */
    String name() {
      return nameOf(location());
    }

    static String nameOf(String location) {
      String text = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
      return text.substring(text.lastIndexOf('/') + 1);
    }
  }
}
