package io.windowpane.launch;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Runs the application in a child JVM with a capped heap when the user gave the JVM no heap size.
 *
 * <p>Why: with default flags the JVM may grow its heap to a quarter of the machine's memory (6 GB on a 24 GB
 * machine), and Beam's DirectRunner allocates fast enough that G1 does exactly that: a 1M-event batch run peaked at
 * 3.5-6.5 GB RSS, and ran no faster than with a 1 GB heap (1.3 GB RSS). With 768 MB and the parallel collector
 * it peaks around 1 GB (1M events: 0.96-0.97 GB; 10M: 1.08 GB; 3M in random time order: 1.01 GB). No JVM option
 * can be set from inside a running JVM or from the jar, so {@code java -jar app.jar} starts a second JVM with {@code -Xmx} and the same
 * arguments, passes its standard streams through, and exits with its exit code.
 *
 * <p>The child runs the parallel collector unless the user chose one ({@code -XX:+Use...GC}), and compiles with C1
 * only unless told otherwise ({@link #quickJit}). It also runs with
 * {@code -XX:+ExitOnOutOfMemoryError}: an out-of-memory error in one of the DirectRunner's
 * worker threads can leave the pipeline waiting forever, while the application should fail. Its exit code for that
 * (3) becomes windowpane's "the pipeline failed" (1), with what to do on stderr.
 *
 * <p>Skipped when the JVM was given any heap or RAM limit ({@code -Xmx}, {@code -XX:MaxHeapSize},
 * {@code -XX:MaxRAM...}), when an agent or debugger is attached, or with {@code WINDOWPANE_MAX_HEAP=off}.
 * {@code WINDOWPANE_MAX_HEAP} sets the cap (default {@value #DEFAULT_MAX_HEAP}).
 */
public final class HeapCappedRelaunch {

  static final String DEFAULT_MAX_HEAP = "768m";
  static final String ENV_MAX_HEAP = "WINDOWPANE_MAX_HEAP";
  static final String ENV_JIT = "WINDOWPANE_JIT";
  static final String RELAUNCHED_PROPERTY = "windowpane.relaunched";

  /** How the JVM exits with {@code -XX:+ExitOnOutOfMemoryError}. */
  static final int JVM_OUT_OF_MEMORY_EXIT = 3;

  /** What to do when a job runs out of memory; said by whichever JVM notices. */
  public static final String OUT_OF_MEMORY_ADVICE = "Allow more heap with WINDOWPANE_MAX_HEAP=4g (or -Xmx). On the"
      + " DirectRunner, which keeps its grouping state and queued bundles in memory and has no backpressure, large"
      + " inputs run better with --agg.runner=flink.";

  /** SPEC section 8: the pipeline failed. */
  static final int PIPELINE_FAILED_EXIT = 1;

  private HeapCappedRelaunch() {}

  /**
   * Relaunches when it should and returns the child's exit code; empty to carry on in this JVM.
   *
   * @param mainClass the class whose {@code main} the child runs when this JVM was not started with {@code -jar}
   */
  public static Optional<Integer> runCappedIfNeeded(Class<?> mainClass, String[] args) {
    List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
    Optional<List<String>> command = command(jvmArgs, System.getenv(), System.getProperties(), mainClass, args);
    if (command.isEmpty()) {
      return Optional.empty();
    }
    if (FastStartCache.writesArchiveAtExit(command.get())) {
      // Otherwise the first run of a new jar looks stuck after its last line while its JVM writes the archive.
      System.err.println(FastStartCache.FIRST_RUN_NOTICE);
    }
    try {
      Process child = new ProcessBuilder(command.get()).inheritIO().start();
      // SIGTERM to this JVM stops the child the same way, and waits for it: its shutdown stops a running job and
      // commits Kafka offsets, which must not be cut short by this JVM exiting first.
      Thread stopChild = new Thread(() -> stopAndAwait(child), "stop-windowpane-child");
      Runtime.getRuntime().addShutdownHook(stopChild);
      int exitCode = child.waitFor();
      try {
        Runtime.getRuntime().removeShutdownHook(stopChild);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran: nothing left to undo
      }
      executableJar(System.getProperties()).ifPresent(jar -> FastStartCache.adoptArchive(jar, System.getenv()));
      if (exitCode == JVM_OUT_OF_MEMORY_EXIT) {
        System.err.println("windowpane: the job ran out of memory (maximum heap " + maxHeap(System.getenv())
            + "). " + OUT_OF_MEMORY_ADVICE);
        return Optional.of(PIPELINE_FAILED_EXIT);
      }
      return Optional.of(exitCode);
    } catch (IOException e) {
      // Cannot start a second JVM: run here, uncapped, rather than not at all.
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(130);
    }
  }

  /** The executable jar this JVM was started from, when it was started as {@code java -jar app.jar}. */
  private static Optional<Path> executableJar(Properties systemProperties) {
    String classPath = systemProperties.getProperty("java.class.path", "");
    String launchedAs = systemProperties.getProperty("sun.java.command", "");
    return !classPath.contains(File.pathSeparator) && classPath.endsWith(".jar") && launchedAs.startsWith(classPath)
        ? Optional.of(Path.of(classPath)) : Optional.empty();
  }

  private static void stopAndAwait(Process child) {
    child.destroy();
    try {
      if (!child.waitFor(StopTimes.CHILD.toSeconds(), TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The child JVM's command line, or empty when this JVM should run the application itself. */
  static Optional<List<String>> command(List<String> jvmArgs, Map<String, String> env,
      Properties systemProperties, Class<?> mainClass, String[] args) {
    String maxHeap = maxHeap(env);
    if (systemProperties.getProperty(RELAUNCHED_PROPERTY) != null
        || maxHeap.equalsIgnoreCase("off")
        || maxHeap.isEmpty()
        || jvmArgs.stream().anyMatch(HeapCappedRelaunch::limitsHeapOrAttachesAgent)) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(systemProperties.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-Xmx" + maxHeap);
    if (jvmArgs.stream().noneMatch(arg -> arg.startsWith("-XX:+Use") && arg.endsWith("GC"))) {
      // Throughput over pause times: a 1M-event batch ran 1-2 s faster than with G1 (12 s job), the seed scenario
      // started a little sooner, and windows fire in seconds, so pauses of a small heap do not show.
      command.add("-XX:+UseParallelGC");
    }
    if (quickJit(jvmArgs, env)) {
      command.add("-XX:TieredStopAtLevel=1");
    }
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-D" + RELAUNCHED_PROPERTY + "=true");
    Optional<Path> executableJar = executableJar(systemProperties);
    if (executableJar.isPresent()) {
      // started as `java -jar app.jar`: the child runs the extracted copy with a class-data archive when the cache
      // allows, else the jar again (its JarEntryPoint then hands over to Spring Boot's launcher)
      command.addAll(FastStartCache.jvmArgsAndJar(executableJar.get(), env,
          systemProperties.getProperty("java.home")).orElse(List.of("-jar", executableJar.get().toString())));
    } else {
      command.add("-cp");
      command.add(systemProperties.getProperty("java.class.path", ""));
      command.add(mainClass.getName());
    }
    command.addAll(List.of(args));
    return Optional.of(command);
  }

  /**
   * Whether the child compiles with C1 only: unless {@code WINDOWPANE_JIT=full} or the user chose the JIT's tiers.
   * Measured on the 2-core build machine (README, Performance): the seed scenario's whole process took 4.1 instead of
   * 6.0 s and a 1M-event batch 16.4-17.1 instead of 20.2-20.7 s (on Flink 19.8 instead of 21.0 s), because C2
   * compiling Beam, Spring and Flink competes with the job for the two cores; but a 10M-event batch took 83 instead
   * of 59 s, where C2's faster code pays back. Long batch runs should set {@code WINDOWPANE_JIT=full}.
   */
  static boolean quickJit(List<String> jvmArgs, Map<String, String> env) {
    return !env.getOrDefault(ENV_JIT, "quick").trim().equalsIgnoreCase("full")
        && jvmArgs.stream().noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel")
            || arg.endsWith("TieredCompilation") || arg.startsWith("-XX:CompilationMode"));
  }

  private static String maxHeap(Map<String, String> env) {
    return env.getOrDefault(ENV_MAX_HEAP, DEFAULT_MAX_HEAP).trim();
  }

  private static boolean limitsHeapOrAttachesAgent(String jvmArg) {
    return jvmArg.startsWith("-Xmx")
        || jvmArg.startsWith("-XX:MaxHeapSize")
        || jvmArg.startsWith("-XX:MaxRAM")
        || jvmArg.startsWith("-agentlib")
        || jvmArg.startsWith("-agentpath")
        || jvmArg.startsWith("-javaagent")
        || jvmArg.startsWith("-Xrunjdwp")
        || jvmArg.startsWith("-Xdebug");
  }
}
