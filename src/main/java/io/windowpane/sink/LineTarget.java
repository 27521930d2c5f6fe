package io.windowpane.sink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/**
 * Where a stream of JSON lines goes: standard output, standard error, one file, or shards of files written by
 * Beam's file sink. Serializable, so the sink that writes to it can run on a worker.
 *
 * <p>A <em>staged</em> target belongs to a batch job (SPEC section 11): a single file is written under
 * {@code <path>.in-progress} beside its path and moved into place by {@link #commit()} only when the job succeeded,
 * so a failed or interrupted run leaves the previous file at the path untouched, and never a partial one there.
 * Shards are staged by Beam itself (temporary files renamed when the write is complete); a staged sharded target
 * also removes, on success, shards of an earlier run that this run did not overwrite.
 *
 * @param path the path the user gave (absolute for shards: workers resolve it), or {@code null} for a stream
 * @param shards for {@link Kind#SHARDS}: how many shards Beam writes (per window and pane for unbounded input)
 * @param append a live job's file: a start keeps what it holds and appends (a restart must not lose earlier rows)
 */
public record LineTarget(Kind kind, String path, boolean staged, int shards, boolean append)
    implements Serializable {

  /** The suffix of a staged file while its job runs. */
  public static final String IN_PROGRESS = ".in-progress";

  public enum Kind {
    STDOUT,
    STDERR,
    /** One file, appended to by windowpane's own writer ({@link WriteLines}). */
    FILE,
    /** Shards beside the path, written by Beam's {@code TextIO} sink ({@link WriteShards}). */
    SHARDS
  }

  public static LineTarget stdout() {
    return new LineTarget(Kind.STDOUT, null, false, 0, false);
  }

  public static LineTarget stderr() {
    return new LineTarget(Kind.STDERR, null, false, 0, false);
  }

  /** A file emptied when the job starts and written as it runs (scenarios: rows appear as panes fire). */
  public static LineTarget file(String path) {
    return new LineTarget(Kind.FILE, path, false, 0, false);
  }

  /**
   * A live job's file, appended to as panes fire; a start keeps what it holds. Absolute, since the workers of a
   * cluster open it.
   */
  public static LineTarget appendedFile(String path) {
    return new LineTarget(Kind.FILE, Path.of(path).toAbsolutePath().normalize().toString(), false, 0, true);
  }

  /** A file that appears at its path only when the job succeeded (batch jobs). */
  public static LineTarget stagedFile(String path) {
    return new LineTarget(Kind.FILE, path, true, 0, false);
  }

  /**
   * Shards named after {@code path}: {@code out/results.jsonl} becomes {@code out/results-00000-of-00004.jsonl}
   * (and, for unbounded input, {@code out/results-<window>-<pane>-00000-of-00001.jsonl}).
   */
  public static LineTarget shards(String path, int shards, boolean staged) {
    return new LineTarget(Kind.SHARDS, Path.of(path).toAbsolutePath().normalize().toString(), staged, shards, false);
  }

  /** The file {@link WriteLines} writes to: the path, or its {@code .in-progress} name while a batch job runs. */
  public String file() {
    return staged && kind == Kind.FILE ? path + IN_PROGRESS : path;
  }

  /** Shards: the path up to the file name's first dot ({@code /out/results}). */
  public String shardPrefix() {
    return path.substring(0, path.length() - shardSuffix().length());
  }

  /** Shards: the file name from its first dot ({@code .jsonl}, {@code .jsonl.invalid}), or empty. */
  public String shardSuffix() {
    String name = Path.of(path).getFileName().toString();
    int dot = name.indexOf('.', 1);
    return dot < 0 ? "" : name.substring(dot);
  }

  /** Shards: the folder Beam writes its temporary files under ({@code /out/.results.jsonl.in-progress}). */
  public Path shardTempDirectory() {
    Path file = Path.of(path);
    return file.resolveSibling("." + file.getFileName() + IN_PROGRESS);
  }

  /**
   * Makes a file target ready for a run: creates its folder, and empties the file it writes to unless it is
   * appended to.
   */
  public void prepare() throws IOException {
    switch (kind) {
      case FILE -> {
        Path file = Path.of(file()).toAbsolutePath();
        Files.createDirectories(file.getParent());
        if (append) {
          Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } else {
          Files.writeString(file, "");
        }
      }
      case SHARDS -> {
        FileSystemUtils.deleteRecursively(shardTempDirectory()); // left by a run that was killed
        Files.createDirectories(shardTempDirectory());
      }
      default -> { }
    }
  }

  /** The job succeeded: a staged file replaces whatever was at its path; stale shards are removed. */
  public void commit() throws IOException {
    if (kind == Kind.FILE && staged) {
      Files.move(Path.of(file()), Path.of(path), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    if (kind == Kind.SHARDS) {
      FileSystemUtils.deleteRecursively(shardTempDirectory());
      if (staged) {
        for (Path stale : shardsOfOtherRuns()) {
          Files.deleteIfExists(stale);
        }
      }
    }
  }

  /** The job failed or was stopped: a staged file and unfinished shards are removed, the path keeps what it had. */
  public void discard() throws IOException {
    if (kind == Kind.FILE && staged) {
      Files.deleteIfExists(Path.of(file()));
    }
    if (kind == Kind.SHARDS) {
      FileSystemUtils.deleteRecursively(shardTempDirectory());
    }
  }

  /**
   * Bounded shards of this target whose shard count differs from this run's: a run writes every shard of its
   * count (empty ones too), so these are the only ones it did not overwrite.
   */
  List<Path> shardsOfOtherRuns() throws IOException {
    Path prefix = Path.of(shardPrefix());
    Pattern shard = Pattern.compile(Pattern.quote(prefix.getFileName().toString()) + "-\\d{5,}-of-(\\d{5,})"
        + Pattern.quote(shardSuffix()));
    try (Stream<Path> files = Files.list(prefix.getParent())) {
      return files.filter(file -> {
        Matcher matcher = shard.matcher(file.getFileName().toString());
        return matcher.matches() && Integer.parseInt(matcher.group(1)) != shards;
      }).sorted().toList();
    }
  }

  /**
   * The files the lines are in once the job has ended: the file, or every shard of this target (windowed ones
   * included); none for a standard stream or a file that was never written.
   */
  public List<Path> writtenFiles() throws IOException {
    if (kind == Kind.FILE) {
      Path file = Path.of(path);
      return Files.exists(file) ? List.of(file) : List.of();
    }
    if (kind != Kind.SHARDS) {
      return List.of();
    }
    Path prefix = Path.of(shardPrefix());
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> shards =
        Files.newDirectoryStream(prefix.getParent(), prefix.getFileName() + "-*" + shardSuffix())) {
      shards.forEach(files::add);
    }
    return files;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FILE -> path;
      case SHARDS -> shardPrefix() + "-*-of-*" + shardSuffix() + " (" + shards + " shard" + (shards == 1 ? "" : "s")
          + ")";
      default -> kind.name().toLowerCase();
    };
  }
}
