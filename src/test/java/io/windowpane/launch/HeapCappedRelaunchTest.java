package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapCappedRelaunchTest {

  private static Properties jvm(String classPath, String command) {
    Properties p = new Properties();
    p.setProperty("java.home", "/jdk");
    p.setProperty("java.class.path", classPath);
    p.setProperty("sun.java.command", command);
    return p;
  }

  @Test
  void javaDashJarWithDefaultFlagsRelaunchesTheJarWithACappedHeapAndTheSameArguments() {
    assertThat(HeapCappedRelaunch.command(List.of("-Dfoo=1"), Map.of("WINDOWPANE_CACHE", "off"), jvm("target/app.jar",
        "target/app.jar --agg.mode=batch"), HeapCappedRelaunchTest.class, new String[] {"--agg.mode=batch"}))
        .contains(List.of("/jdk/bin/java", "-Dfoo=1", "-Xmx768m", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError", "-Dwindowpane.relaunched=true", "-jar",
            "target/app.jar", "--agg.mode=batch"));
  }

  @Test
  void classPathLaunchRelaunchesTheMainClass() {
    assertThat(HeapCappedRelaunch.command(List.of(), Map.of("WINDOWPANE_MAX_HEAP", "2g"),
        jvm("a.jar:classes", "io.windowpane.WindowpaneApplication"), HeapCappedRelaunchTest.class, new String[0]))
        .contains(List.of("/jdk/bin/java", "-Xmx2g", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError", "-Dwindowpane.relaunched=true", "-cp", "a.jar:classes",
            HeapCappedRelaunchTest.class.getName()));
  }

  @Test
  void aCollectorTheUserChoseIsKept() {
    assertThat(HeapCappedRelaunch.command(List.of("-XX:+UseG1GC"), Map.of("WINDOWPANE_CACHE", "off"),
        jvm("target/app.jar", "target/app.jar"), getClass(), new String[0]).orElseThrow())
        .contains("-XX:+UseG1GC").doesNotContain("-XX:+UseParallelGC");
  }

  @Test
  void theFullJitIsKeptWhenAskedForOrWhenTheUserChoseTheTiers() {
    Properties plain = jvm("target/app.jar", "target/app.jar");
    assertThat(HeapCappedRelaunch.command(List.of(), Map.of("WINDOWPANE_CACHE", "off", "WINDOWPANE_JIT", "full"),
        plain, getClass(), new String[0]).orElseThrow()).noneMatch(arg -> arg.contains("Tiered"));
    assertThat(HeapCappedRelaunch.command(List.of("-XX:TieredStopAtLevel=4"), Map.of("WINDOWPANE_CACHE", "off"),
        plain, getClass(), new String[0]).orElseThrow()).containsOnlyOnce("-XX:TieredStopAtLevel=4")
        .doesNotContain("-XX:TieredStopAtLevel=1");
    assertThat(HeapCappedRelaunch.command(List.of("-XX:-TieredCompilation"), Map.of("WINDOWPANE_CACHE", "off"),
        plain, getClass(), new String[0]).orElseThrow()).doesNotContain("-XX:TieredStopAtLevel=1");
  }

  @Test
  void explicitHeapLimitsAgentsOptOutAndTheChildItselfRunInPlace() {
    Properties plain = jvm("target/app.jar", "target/app.jar");
    assertThat(HeapCappedRelaunch.command(List.of("-Xmx4g"), Map.of(), plain, getClass(), new String[0])).isEmpty();
    assertThat(HeapCappedRelaunch.command(List.of("-XX:MaxRAMPercentage=50"), Map.of(), plain, getClass(),
        new String[0])).isEmpty();
    assertThat(HeapCappedRelaunch.command(List.of("-agentlib:jdwp=transport=dt_socket"), Map.of(), plain,
        getClass(), new String[0])).isEmpty();
    assertThat(HeapCappedRelaunch.command(List.of(), Map.of("WINDOWPANE_MAX_HEAP", "off"), plain, getClass(),
        new String[0])).isEmpty();
    Properties child = jvm("target/app.jar", "target/app.jar");
    child.setProperty("windowpane.relaunched", "true");
    assertThat(HeapCappedRelaunch.command(List.of(), Map.of(), child, getClass(), new String[0])).isEmpty();
  }

  @Test
  void theFastStartCacheIsKeyedByTheJarsPlaceAndBuildAndCanBeTurnedOff(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("app.jar"), "a build");
    Path cache = dir.resolve("cache");

    Path first = FastStartCache.folder(jar, Map.of("WINDOWPANE_CACHE", cache.toString()), "17").orElseThrow();
    Files.writeString(jar, "another build, of another size");
    Path second = FastStartCache.folder(jar, Map.of("WINDOWPANE_CACHE", cache.toString()), "17").orElseThrow();
    Path otherJdk = FastStartCache.folder(jar, Map.of("WINDOWPANE_CACHE", cache.toString()), "21").orElseThrow();

    assertThat(first.getParent()).isEqualTo(second.getParent()).isEqualTo(otherJdk.getParent());
    assertThat(first.getParent().getParent()).isEqualTo(cache);
    assertThat(first.getParent().getFileName().toString()).startsWith("app-");
    assertThat(List.of(first, second, otherJdk)).doesNotHaveDuplicates();
    assertThat(FastStartCache.folder(jar, Map.of("WINDOWPANE_CACHE", "off"), "17")).isEmpty();
    assertThat(FastStartCache.jvmArgsAndJar(jar, Map.of("WINDOWPANE_CACHE", "off"), "/jdk")).isEmpty();
  }
}
