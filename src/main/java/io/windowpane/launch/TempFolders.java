package io.windowpane.launch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary folders named after the process that made them ({@code windowpane-flink-<pid>-<random>}), so that the
 * folders of a process that was killed (SIGKILL runs no shutdown hook; a crash-safe job is meant to be killable) are
 * removed by the next one instead of piling up: the embedded Flink cluster's alone holds a 22 MB jar.
 */
public final class TempFolders {

  private TempFolders() {}

  /** Removes the folders with this prefix of processes that are gone, then creates one for this process. */
  public static Path create(String prefix) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    removeLeftBehind(tmp, prefix, "-.*");
    return Files.createTempDirectory(tmp, prefix + ProcessHandle.current().pid() + "-");
  }

  /**
   * Removes what processes that no longer run left in {@code dir}: the files and folders named {@code prefix}, a
   * process id, then something matching {@code suffixPattern}. Returns how many such entries it kept because their
   * process still runs.
   */
  static int removeLeftBehind(Path dir, String prefix, String suffixPattern) throws IOException {
    Pattern owned = Pattern.compile(Pattern.quote(prefix) + "(\\d+)" + suffixPattern);
    int kept = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path entry : entries) {
        Matcher matcher = owned.matcher(entry.getFileName().toString());
        if (!matcher.matches()) {
          continue;
        }
        if (ProcessState.isRunning(Long.parseLong(matcher.group(1)))) {
          kept++;
          continue;
        }
        try {
          deleteRecursively(entry);
        } catch (IOException e) {
          // another process removes it at the same time, or it is not ours to remove
        }
      }
    }
    return kept;
  }

  /** {@link #create}, and removed again when this JVM exits normally (a killed one's: by the next process). */
  public static Path createRemovedAtExit(String prefix) throws IOException {
    Path folder = create(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(folder), prefix + "cleanup"));
    return folder;
  }

  /**
   * Points native libraries that unpack themselves into the temporary folder (snappy-java, used by Kafka's and Flink's
   * compression) at a folder of this process, unless the user chose one: each left its {@code .so} behind on SIGKILL.
   * The folder is removed with {@code deleteOnExit}, not a shutdown hook: snappy-java may first be loaded by a
   * shutdown hook (a Kafka producer flushing), creates the folder again if it is gone, and has its library deleted on
   * exit; files registered for deletion on exit go after every shutdown hook, the latest registered first.
   */
  public static void holdNativeLibraries() {
    if (System.getProperty(SNAPPY_TEMPDIR) != null) {
      return;
    }
    try {
      Path folder = create("windowpane-native-");
      folder.toFile().deleteOnExit();
      System.setProperty(SNAPPY_TEMPDIR, folder.toString());
    } catch (IOException e) {
      // snappy-java then uses the temporary folder itself
    }
  }

  private static final String SNAPPY_TEMPDIR = "org.xerial.snappy.tempdir";

  /**
   * Deletes the folder, and again until it stays gone (up to 2 s): the embedded Flink cluster's own shutdown hooks
   * run at the same time and still delete or write files inside its folder, which made a single recursive delete
   * leave it behind now and then.
   */
  static void deleteQuietly(Path folder) {
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        deleteRecursively(folder);
      } catch (IOException e) {
        // files changed under the delete: try again
      }
      if (!Files.exists(folder)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Deletes a file or a folder with everything in it (symbolic links, not what they point to). The JDK's own walk,
   * not Spring's {@code FileSystemUtils}: this package runs in the launching JVM before any library is on its class
   * path ({@link JarEntryPoint}).
   */
  static void deleteRecursively(Path path) throws IOException {
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
          if (failure != null) {
            throw failure;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException gone) {
      // nothing (left) to delete
    }
  }
}
