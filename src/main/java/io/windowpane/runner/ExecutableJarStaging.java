package io.windowpane.runner;

import io.windowpane.launch.TempFolders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files to stage to a remote Flink cluster when the application runs from Spring Boot's executable jar.
 *
 * <p>Why: Beam would stage the executable jar itself, whose classes and libraries are nested jars
 * ({@code BOOT-INF/classes}, {@code BOOT-INF/lib/*.jar}) that Flink's class loaders cannot read; the job then fails
 * on the cluster with {@code ClassNotFoundException} for Beam's own classes. Unpacking the nested layout once into a
 * temporary folder gives Flink plain jars and a classes folder (which Beam zips for staging).
 */
final class ExecutableJarStaging {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutableJarStaging.class);
  private static final String CLASSES = "BOOT-INF/classes/";
  private static final String LIB = "BOOT-INF/lib/";

  private ExecutableJarStaging() {}

  /** The files to stage, or empty when not running from an executable jar (Beam then finds the classpath). */
  static Optional<List<String>> filesToStage() {
    String classPath = System.getProperty("java.class.path", "");
    if (!classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
      return Optional.empty();
    }
    try (JarFile jar = new JarFile(classPath)) {
      if (jar.getEntry(LIB) == null && jar.getEntry(CLASSES) == null) {
        return Optional.empty();
      }
      Path dir = TempFolders.createRemovedAtExit("windowpane-stage-");
      Path classes = Files.createDirectories(dir.resolve("classes"));
      List<String> files = new ArrayList<>();
      files.add(classes.toString());
      int libraries = 0;
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        Path target;
        if (entry.getName().startsWith(LIB)) {
          libraries++;
          if (!WorkerFiles.neededOnWorkers(entry.getName())) {
            continue; // not unpacked: the workers do not get it
          }
          target = dir.resolve("lib").resolve(entry.getName().substring(LIB.length()));
          files.add(target.toString());
        } else if (entry.getName().startsWith(CLASSES)) {
          target = classes.resolve(entry.getName().substring(CLASSES.length()));
        } else {
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      LOG.info("Staging the executable jar's classes and {} of its {} libraries (what the workers need) to the Flink"
          + " cluster from {}", files.size() - 1, libraries, dir);
      return Optional.of(files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + classPath + " for staging to Flink", e);
    }
  }
}
