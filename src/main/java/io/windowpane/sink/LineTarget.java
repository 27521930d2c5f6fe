package io.windowpane.sink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a stream of JSON lines goes: standard output, standard error or a file. Serializable, so the sink that
 * writes to it can run on a worker.
 *
 * <p>A <em>staged</em> file target is written under {@code <path>.in-progress} beside its path and moved into place by
 * {@link #commit()} only when the job succeeded (SPEC section 11): a failed or interrupted batch run leaves the
 * previous file at the path untouched, and never a partial one there.
 *
 * @param file the file written to, or {@code null} for a standard stream
 * @param finalFile for a staged target, the path {@code file} is moved to on success; else {@code null}
 */
public record LineTarget(Kind kind, String file, String finalFile) implements Serializable {

  /** The suffix of a staged file while its job runs. */
  public static final String IN_PROGRESS = ".in-progress";

  public enum Kind {
    STDOUT,
    STDERR,
    FILE
  }

  public static LineTarget stdout() {
    return new LineTarget(Kind.STDOUT, null, null);
  }

  public static LineTarget stderr() {
    return new LineTarget(Kind.STDERR, null, null);
  }

  /** A file written as the job runs (stream jobs: rows appear as panes fire). */
  public static LineTarget file(String path) {
    return new LineTarget(Kind.FILE, path, null);
  }

  /** A file that appears at its path only when the job succeeded (batch jobs). */
  public static LineTarget stagedFile(String path) {
    return new LineTarget(Kind.FILE, path + IN_PROGRESS, path);
  }

  /** The path users see: where the lines end up. */
  public String path() {
    return finalFile != null ? finalFile : file;
  }

  /** Makes a file target ready for a run: creates its folder and empties the file it writes to. */
  public void prepare() throws IOException {
    if (kind == Kind.FILE) {
      Path path = Path.of(file).toAbsolutePath();
      Files.createDirectories(path.getParent());
      Files.writeString(path, "");
    }
  }

  /** The job succeeded: a staged file replaces whatever was at its path. */
  public void commit() throws IOException {
    if (finalFile != null) {
      Files.move(Path.of(file), Path.of(finalFile), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The job failed or was stopped: a staged file is removed, the path keeps what it had. */
  public void discard() throws IOException {
    if (finalFile != null) {
      Files.deleteIfExists(Path.of(file));
    }
  }

  @Override
  public String toString() {
    return kind == Kind.FILE ? path() : kind.name().toLowerCase();
  }
}
