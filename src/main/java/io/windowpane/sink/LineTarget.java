package io.windowpane.sink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a stream of JSON lines goes: standard output, standard error or a file. Serializable, so the sink that
 * writes to it can run on a worker.
 *
 * @param file the file path, or {@code null} for a standard stream
 */
public record LineTarget(Kind kind, String file) implements Serializable {

  public enum Kind {
    STDOUT,
    STDERR,
    FILE
  }

  public static LineTarget stdout() {
    return new LineTarget(Kind.STDOUT, null);
  }

  public static LineTarget stderr() {
    return new LineTarget(Kind.STDERR, null);
  }

  public static LineTarget file(String path) {
    return new LineTarget(Kind.FILE, path);
  }

  /** Makes a file target ready for a run: creates its folder and empties the file. */
  public void prepare() throws IOException {
    if (kind == Kind.FILE) {
      Path path = Path.of(file).toAbsolutePath();
      Files.createDirectories(path.getParent());
      Files.writeString(path, "");
    }
  }

  @Override
  public String toString() {
    return kind == Kind.FILE ? file : kind.name().toLowerCase();
  }
}
