package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast-start cache: a first run's archive, and what a killed first run leaves. */
class FastStartCacheTest {

  @TempDir Path dir;

  /**
   * Spring Boot's extraction names the jar as the user named it: a renamed jar must find its extracted copy, not
   * extract itself again on every start and run without the class-data archive (as it did before 2026-11-30).
   */
  @Test
  void aJarThatIsNotNamedAppJarRunsFromItsExtractedCopy() throws Exception {
    Path folder = extractedFolder("windowpane-0.1.0.jar");
    Files.writeString(folder.resolve("app.jsa"), "an archive");

    List<String> args = FastStartCache.jvmArgsAndJar(dir.resolve("windowpane-0.1.0.jar"), env(), javaHome())
        .orElseThrow();

    assertThat(args).containsSubsequence("-XX:SharedArchiveFile=" + folder.resolve("app.jsa"), "-jar",
        folder.resolve("windowpane-0.1.0.jar").toString());
  }

  @Test
  void aFirstRunWritesItsOwnArchiveAndRemovesThoseOfKilledFirstRuns() throws Exception {
    Path folder = extractedFolder("app.jar");
    Path abandoned = Files.writeString(folder.resolve("app.jsa." + endedProcess() + ".tmp"), "half an archive");

    List<String> args = FastStartCache.jvmArgsAndJar(dir.resolve("app.jar"), env(), javaHome()).orElseThrow();

    assertThat(args).contains("-XX:ArchiveClassesAtExit="
        + folder.resolve("app.jsa." + ProcessHandle.current().pid() + ".tmp"));
    assertThat(abandoned).doesNotExist();
  }

  /** Two first runs at once: the second runs from the extracted jar and leaves the archive to the first. */
  @Test
  void whileAnotherFirstRunWritesTheArchiveThisOneWritesNone() throws Exception {
    Path folder = extractedFolder("app.jar");
    long running = ProcessHandle.current().parent().orElseThrow().pid();
    Path anotherFirstRun = Files.writeString(folder.resolve("app.jsa." + running + ".tmp"), "being written");

    List<String> args = FastStartCache.jvmArgsAndJar(dir.resolve("app.jar"), env(), javaHome()).orElseThrow();

    assertThat(args).noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit") || arg.startsWith("-XX:SharedArchive"))
        .containsSubsequence("-jar", folder.resolve("app.jar").toString());
    assertThat(anotherFirstRun).exists();
  }

  /** With an archive in place, a killed first run's leftover is removed too. */
  @Test
  void aLaterRunRemovesWhatAKilledFirstRunLeft() throws Exception {
    Path folder = extractedFolder("app.jar");
    Files.writeString(folder.resolve("app.jsa"), "an archive");
    Path abandoned = Files.writeString(folder.resolve("app.jsa." + endedProcess() + ".tmp"), "half an archive");

    List<String> args = FastStartCache.jvmArgsAndJar(dir.resolve("app.jar"), env(), javaHome()).orElseThrow();

    assertThat(args).contains("-XX:SharedArchiveFile=" + folder.resolve("app.jsa"));
    assertThat(abandoned).doesNotExist();
  }

  /**
   * The copy of a jar that is gone is removed when another jar is first run, and so is an old copy made by an earlier
   * version, which did not record its jar; copies of jars that still exist, a copy without a recorded jar that is
   * new (one being made), an old folder that is not a copy, and of a gone jar that a running JVM still uses, stay.
   */
  @Test
  void theCopiesOfJarsThatAreGoneAreRemovedUnlessAProcessStillRunsFromThem() throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Path gone = copyOf(cache, "app-gone", dir.resolve("deleted/app.jar"));
    Path kept = copyOf(cache, "app-kept", Files.writeString(dir.resolve("kept.jar"), "a jar"));
    Path unrecordedOld = old(unrecordedCopy(cache, "app-7768872a", "app.jar"));
    Path unrecordedNew = unrecordedCopy(cache, "windowpane-0.1.0-5ec0ffee", "windowpane-0.1.0.jar");
    Path notACopy = Files.createDirectories(cache.resolve("notes-2024/d4171ef5/lib")).getParent().getParent();
    Files.writeString(notACopy.resolve("d4171ef5/app.jar"), "a jar named as a copy's, in a folder that is not one");
    old(notACopy);
    Path inUse = copyOf(cache, "app-in-use", dir.resolve("deleted-too/app.jar"));
    // a process whose command line names a file of the copy, as a JVM started from it does (-jar <copy>/app.jar)
    Process running = new ProcessBuilder("sh", "-c", "sleep 60; true", "a-jvm", inUse.resolve("build/app.jar")
        .toString()).start();
    Await.until("the process's command line", Duration.ofSeconds(10),
        () -> running.info().commandLine().orElse("").contains(inUse.toString()));
    try {
      FastStartCache.removeCopiesOfRemovedJars(cache);
    } finally {
      running.destroy();
    }

    assertThat(gone).doesNotExist();
    assertThat(kept.resolve("build/app.jar")).exists();
    assertThat(unrecordedOld).doesNotExist();
    assertThat(unrecordedNew.resolve("d4171ef5/lib")).exists();
    assertThat(notACopy.resolve("d4171ef5/app.jar")).exists();
    assertThat(inUse.resolve("build/app.jar")).exists();
  }

  private static Path copyOf(Path cache, String name, Path jar) throws Exception {
    Path place = Files.createDirectories(cache.resolve(name).resolve("build"));
    Files.writeString(place.resolve("app.jar"), "extracted");
    Files.writeString(place.getParent().resolve(FastStartCache.JAR_LOCATION), jar.toAbsolutePath().toString());
    return place.getParent();
  }

  /** A copy as windowpane made them before it recorded the jar's location: the extracted jar and its lib/. */
  private static Path unrecordedCopy(Path cache, String place, String jarName) throws Exception {
    Path build = Files.createDirectories(cache.resolve(place).resolve("d4171ef5"));
    Files.createDirectories(build.resolve("lib"));
    Files.writeString(build.resolve(jarName), "extracted");
    return build.getParent();
  }

  /**
   * A pod's file system goes with the pod: there the archive would be written at every stop (10-30 s after SIGTERM)
   * and never read. Off in Kubernetes, unless the cache is a folder the user named.
   */
  @Test
  void noCacheInAKubernetesPodUnlessAFolderIsNamed() throws Exception {
    Path jar = Files.writeString(dir.resolve("app.jar"), "not really a jar");
    String vm = System.getProperty("java.vm.version", "");
    assertThat(FastStartCache.folder(jar, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), vm)).isEmpty();
    assertThat(FastStartCache.folder(jar, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
        "WINDOWPANE_CACHE", dir.resolve("cache").toString()), vm)).isPresent();
    assertThat(FastStartCache.folder(jar, Map.of("XDG_CACHE_HOME", dir.toString()), vm)).isPresent();
  }

  private static Path old(Path folder) throws Exception {
    Files.setLastModifiedTime(folder,
        FileTime.from(Instant.now().minus(FastStartCache.UNRECORDED_AGE).minusSeconds(60)));
    return folder;
  }

  /** The cache folder of {@code dir/<jarName>}, as if the jar had been extracted into it before. */
  private Path extractedFolder(String jarName) throws Exception {
    Path jar = Files.writeString(dir.resolve(jarName), "not really a jar");
    Path folder = FastStartCache.folder(jar, env(), System.getProperty("java.vm.version", "")).orElseThrow();
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(jarName), "extracted");
    return folder;
  }

  private Map<String, String> env() {
    return Map.of("WINDOWPANE_CACHE", dir.resolve("cache").toString());
  }

  private static String javaHome() {
    return System.getProperty("java.home");
  }

  private static long endedProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    return gone.pid();
  }
}
