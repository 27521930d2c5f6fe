package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
    Path jar = Files.writeString(dir.resolve("windowpane-0.1.0.jar"), "not really a jar");
    Map<String, String> env = Map.of("WINDOWPANE_CACHE", dir.resolve("cache").toString());
    Path folder = FastStartCache.folder(jar, env, System.getProperty("java.vm.version", "")).orElseThrow();
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("windowpane-0.1.0.jar"), "extracted");
    Files.writeString(folder.resolve("app.jsa"), "an archive");

    List<String> args = FastStartCache.jvmArgsAndJar(jar, env, System.getProperty("java.home")).orElseThrow();

    assertThat(args).containsSubsequence("-XX:SharedArchiveFile=" + folder.resolve("app.jsa"), "-jar",
        folder.resolve("windowpane-0.1.0.jar").toString());
  }

  @Test
  void aFirstRunWritesItsOwnArchiveAndRemovesThoseOfKilledFirstRuns() throws Exception {
    Path jar = Files.writeString(dir.resolve("app.jar"), "not really a jar");
    Map<String, String> env = Map.of("WINDOWPANE_CACHE", dir.resolve("cache").toString());
    Path folder = FastStartCache.folder(jar, env, System.getProperty("java.vm.version", "")).orElseThrow();
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("app.jar"), "extracted"); // as if extracted before
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path abandoned = Files.writeString(folder.resolve("app.jsa." + gone.pid() + ".tmp"), "half an archive");
    long running = ProcessHandle.current().parent().orElseThrow().pid();
    Path anotherFirstRun = Files.writeString(folder.resolve("app.jsa." + running + ".tmp"), "being written");

    List<String> args = FastStartCache.jvmArgsAndJar(jar, env, System.getProperty("java.home")).orElseThrow();

    assertThat(args).contains("-XX:ArchiveClassesAtExit="
        + folder.resolve("app.jsa." + ProcessHandle.current().pid() + ".tmp"));
    assertThat(abandoned).doesNotExist();
    assertThat(anotherFirstRun).exists();
  }
}
