package io.windowpane.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes the relaunched JVM start fast: the executable jar is extracted once into a cache folder (Spring Boot's own
 * {@code -Djarmode=tools extract}, a plain jar with its libraries beside it), and the JVM runs that with a Class
 * Data Sharing archive of the classes it loads, written at the end of the first run from that folder
 * ({@code -XX:ArchiveClassesAtExit}) and mapped by every later one ({@code -XX:SharedArchiveFile}). Measured on the
 * build machine: the seed scenario's whole process went from 7.5-8.5 s to about 5 s (README, Performance). The JVM
 * cannot share classes from the nested jars of the executable jar, hence the extraction.
 *
 * <p>The folder is keyed by the jar's location, and within it by the build (size and modification time) and the
 * Java runtime, so a new build or JDK gets a fresh copy and the previous one is removed (about 300 MB each), as are
 * the copies of jars that are gone ({@link #removeCopiesOfRemovedJars}).
 * {@code WINDOWPANE_CACHE} chooses the parent folder (default {@code $XDG_CACHE_HOME/windowpane}, else
 * {@code ~/.cache/windowpane}); {@code WINDOWPANE_CACHE=off} turns this off, as does running in a Kubernetes pod
 * unless {@code WINDOWPANE_CACHE} names a folder (a volume that outlives the pod). Anything that goes wrong here falls
 * back to running the jar as it is: a cache may make a start faster, never make it fail.
 */
final class FastStartCache {

  static final String ENV_CACHE = "WINDOWPANE_CACHE";
  /** Set in every Kubernetes container. */
  private static final String KUBERNETES = "KUBERNETES_SERVICE_HOST";
  private static final String ARCHIVE = "app.jsa";
  /** In the folder of a jar location's copy: that location, so that the copy can go when the jar is gone. */
  static final String JAR_LOCATION = "jar-location";
  private static final String WRITE_ARCHIVE = "-XX:ArchiveClassesAtExit";
  private static final int EXTRACT_SECONDS = 120;
  /** How old a copy without a recorded jar location must be before it is removed (see {@link #unrecordedAndOld}). */
  static final Duration UNRECORDED_AGE = Duration.ofDays(1);
  /** How {@link #folder} names a jar location's and a build's folders: {@code Integer.toHexString} of a hash. */
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{1,8}");
  private static final Pattern PLACE_NAME = Pattern.compile("(.+)-" + HASH.pattern());

  /** Said on stderr when a run writes the archive: its JVM takes several seconds longer to exit, once. */
  static final String FIRST_RUN_NOTICE = "windowpane: first start of this build: when it exits, the JVM saves the"
      + " classes it loaded for faster starts (a few seconds, once; WINDOWPANE_CACHE=off turns this off)";

  private FastStartCache() {}

  /**
   * The JVM options and jar to run instead of {@code jar}, extracting it first if needed; empty to run the jar as
   * it is.
   */
  static Optional<List<String>> jvmArgsAndJar(Path jar, Map<String, String> env, String javaHome) {
    try {
      Optional<Path> folder = folder(jar, env, System.getProperty("java.vm.version", ""));
      if (folder.isEmpty()) {
        return Optional.empty();
      }
      Path extracted = extractedJar(folder.get(), jar);
      if (!Files.isRegularFile(extracted) && !extract(jar, folder.get(), javaHome)) {
        return Optional.empty();
      }
      List<String> args = new ArrayList<>();
      Path archive = folder.get().resolve(ARCHIVE);
      boolean anotherFirstRunWritesOne = removeAbandonedArchives(folder.get());
      if (Files.isRegularFile(archive)) {
        args.add("-XX:SharedArchiveFile=" + archive);
      } else if (!anotherFirstRunWritesOne) {
        // Written when this run's JVM exits, under a name of its own: two first runs never write one file. While
        // another first run is writing one, this run writes none: dumping the 163 MB archive takes 10-30 s of
        // CPU and disk, and one is enough.
        args.add(WRITE_ARCHIVE + "=" + pendingArchive(folder.get()));
      }
      args.add("-Xlog:cds=off");
      args.add("-Xlog:cds+dynamic=off");
      args.add("-jar");
      args.add(extracted.toString());
      return Optional.of(args);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** After a first run: its archive, if the JVM wrote one, becomes the folder's archive. */
  static void adoptArchive(Path jar, Map<String, String> env) {
    try {
      Optional<Path> folder = folder(jar, env, System.getProperty("java.vm.version", ""));
      if (folder.isEmpty()) {
        return;
      }
      Path pending = pendingArchive(folder.get());
      if (Files.isRegularFile(pending) && Files.size(pending) > 0) {
        Files.move(pending, folder.get().resolve(ARCHIVE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.deleteIfExists(pending);
    } catch (IOException | RuntimeException e) {
      // the next run tries again
    }
  }

  static Optional<Path> folder(Path jar, Map<String, String> env, String vmVersion) throws IOException {
    String setting = env.getOrDefault(ENV_CACHE, "").trim();
    if (setting.equalsIgnoreCase("off") || (setting.isEmpty() && env.containsKey(KUBERNETES))) {
      // In a Kubernetes pod the file system lives as long as the pod, unless a volume says otherwise: an archive
      // written at exit would never be used, and writing it (10-30 s) holds up the pod's stop after SIGTERM.
      return Optional.empty();
    }
    Path parent;
    if (!setting.isEmpty()) {
      parent = Path.of(setting);
    } else if (env.containsKey("XDG_CACHE_HOME") && !env.get("XDG_CACHE_HOME").isBlank()) {
      parent = Path.of(env.get("XDG_CACHE_HOME"), "windowpane");
    } else {
      parent = Path.of(System.getProperty("user.home"), ".cache", "windowpane");
    }
    Path location = jar.toAbsolutePath().normalize();
    String place = jar.getFileName().toString().replace(".jar", "") + "-"
        + Integer.toHexString(location.toString().hashCode());
    String build = Integer.toHexString((Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "|"
        + vmVersion).hashCode());
    return Optional.of(parent.resolve(place).resolve(build));
  }

  /**
   * Where the extraction puts the jar's own classes: Spring Boot's {@code extract} names it as the jar was named
   * ({@code windowpane-0.1.0.jar} stays {@code windowpane-0.1.0.jar}).
   */
  private static Path extractedJar(Path folder, Path jar) {
    return folder.resolve(jar.getFileName().toString());
  }

  /** One build per jar location is kept: the copies of earlier builds of this jar are removed. */
  private static void removeEarlierBuilds(Path folder) {
    try (Stream<Path> builds = Files.list(folder.getParent())) {
      builds.filter(build -> Files.isDirectory(build) && !build.equals(folder)
              && !build.getFileName().toString().startsWith(".extracting-"))
          .forEach(FastStartCache::deleteRecursively);
    } catch (IOException e) {
      // they stay until the next build's first run
    }
  }

  /**
   * Removes the copies of jars that are gone (about 300 MB each, one per jar location: a jar downloaded, run and
   * deleted, or each version in a folder of its own, would otherwise leave one for good), when a new copy is made.
   * A copy is removed only when the file its jar location names ({@value #JAR_LOCATION}) no longer exists, or it
   * has none and is old ({@link #unrecordedAndOld}), and no running process has the copy on its command line: a
   * JVM started from it loads its classes from those files.
   */
  static void removeCopiesOfRemovedJars(Path cache) {
    try (Stream<Path> places = Files.list(cache)) {
      List<Path> gone = places.filter(place -> jarIsGone(place.resolve(JAR_LOCATION)) || unrecordedAndOld(place))
          .toList();
      if (gone.isEmpty()) {
        return;
      }
      List<String> commandLines = ProcessHandle.allProcesses()
          .map(process -> process.info().commandLine().orElse(""))
          .toList();
      for (Path place : gone) {
        String folder = place.toAbsolutePath().normalize() + File.separator;
        if (commandLines.stream().noneMatch(commandLine -> commandLine.contains(folder))) {
          deleteRecursively(place);
        }
      }
    } catch (IOException | RuntimeException e) {
      // they stay until the next copy is made
    }
  }

  /**
   * A copy made by a windowpane from before the jar location was recorded (2026-11-30): whether its jar still exists
   * cannot be known, and it would stay for good. It goes once its folder has not changed for {@link #UNRECORDED_AGE}
   * (if its jar is still there, that jar's next start extracts it again, once, and records it); a copy being made
   * has its jar location seconds after its folder appears.
   */
  private static boolean unrecordedAndOld(Path place) {
    try {
      return Files.isDirectory(place) && !Files.exists(place.resolve(JAR_LOCATION))
          && Files.getLastModifiedTime(place).toInstant().isBefore(Instant.now().minus(UNRECORDED_AGE))
          && holdsOnlyCopies(place);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether a folder without a jar location is one of windowpane's: {@code <jar name>-<hash>/<build>/} with the
   * extracted jar and its {@code lib/} in every build, and nothing else ({@code WINDOWPANE_CACHE} may name a folder
   * that holds other things too).
   */
  private static boolean holdsOnlyCopies(Path place) throws IOException {
    Matcher name = PLACE_NAME.matcher(place.getFileName().toString());
    if (!name.matches()) {
      return false;
    }
    String extractedJar = name.group(1) + ".jar";
    try (Stream<Path> builds = Files.list(place)) {
      List<Path> all = builds.toList();
      return !all.isEmpty() && all.stream().allMatch(build -> HASH.matcher(build.getFileName().toString()).matches()
          && Files.isRegularFile(build.resolve(extractedJar)) && Files.isDirectory(build.resolve("lib")));
    }
  }

  private static boolean jarIsGone(Path jarLocation) {
    try {
      return Files.isRegularFile(jarLocation) && !Files.exists(Path.of(Files.readString(jarLocation).trim()));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Removes the archives killed first runs left unfinished ({@code app.jsa.<pid>.tmp} of a process that no longer
   * runs), at every start: a first run killed while another one wrote the archive would leave 163 MB for good.
   * Returns whether a first run that still runs is writing one.
   */
  private static boolean removeAbandonedArchives(Path folder) throws IOException {
    return TempFolders.removeLeftBehind(folder, ARCHIVE + ".", "\\.tmp") > 0;
  }

  /** Whether a JVM with these options writes a class-data archive as it exits: a cache's first run. */
  static boolean writesArchiveAtExit(List<String> jvmArgs) {
    return jvmArgs.stream().anyMatch(arg -> arg.startsWith(WRITE_ARCHIVE));
  }

  private static Path pendingArchive(Path folder) {
    return folder.resolve(ARCHIVE + "." + ProcessHandle.current().pid() + ".tmp");
  }

  /** Extracts the jar into a private folder and moves it into place; false when that did not work. */
  private static boolean extract(Path jar, Path folder, String javaHome) throws IOException {
    Files.createDirectories(folder.getParent());
    Path staging = Files.createTempDirectory(folder.getParent(), ".extracting-");
    try {
      Process extract = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-Djarmode=tools", "-jar",
          jar.toString(), "extract", "--destination", staging.resolve("out").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!extract.waitFor(EXTRACT_SECONDS, TimeUnit.SECONDS) || extract.exitValue() != 0) {
        extract.destroyForcibly();
        return false;
      }
      try {
        Files.move(staging.resolve("out"), folder, StandardCopyOption.ATOMIC_MOVE);
        removeEarlierBuilds(folder);
        Files.writeString(folder.getParent().resolve(JAR_LOCATION), jar.toAbsolutePath().normalize().toString());
        removeCopiesOfRemovedJars(folder.getParent().getParent());
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        // another run extracted it first: use theirs
      }
      return Files.isRegularFile(extractedJar(folder, jar));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      deleteRecursively(staging);
    }
  }

  private static void deleteRecursively(Path folder) {
    try {
      TempFolders.deleteRecursively(folder);
    } catch (IOException e) {
      // left in the cache folder, harmless
    }
  }
}
