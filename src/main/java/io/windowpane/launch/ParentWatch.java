package io.windowpane.launch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ends the child JVM when the JVM that launched it is gone ({@link HeapCappedRelaunch}). A SIGKILL of the process a
 * user started reaches only that process: without this, the child would run on, serving the port and holding the
 * Kafka partitions and checkpoint folder that the next start needs. The child halts at once, as the user's kill
 * asked (a drain here could overlap with that next start); a checkpointed job resumes from its newest checkpoint.
 */
public final class ParentWatch {

  /** How often the child looks for its parent. */
  static final long INTERVAL_MILLIS = 500;

  /** The exit code of a JVM ended by SIGKILL, which is what happened to the application. */
  static final int KILLED_EXIT = 137;

  private ParentWatch() {}

  /** Starts watching when this JVM is the launched child. */
  public static void startIfRelaunched() {
    if (System.getProperty(HeapCappedRelaunch.RELAUNCHED_PROPERTY) == null) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) {
      return;
    }
    Thread watch = new Thread(() -> watch(parent.get()), "windowpane-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static void watch(ProcessHandle parent) {
    try {
      while (ProcessState.isRunning(parent)) {
        Thread.sleep(INTERVAL_MILLIS);
      }
    } catch (InterruptedException e) {
      return;
    }
    System.err.println("windowpane: the process that launched this JVM (pid " + parent.pid()
        + ") is gone; stopping now");
    if (writesClassDataArchiveAtExit()) {
      killSelf();
    }
    Runtime.getRuntime().halt(KILLED_EXIT);
  }

  /**
   * A first run writes the fast-start cache's class-data archive when its JVM exits, halted or not, which took 10 s
   * on a busy machine: the job would hold its port, inputs and outputs that long after the user's kill. The archive
   * of a run cut short is not wanted anyway (the next run writes one), so such a JVM ends as it was asked to: SIGKILL.
   */
  private static boolean writesClassDataArchiveAtExit() {
    return FastStartCache.writesArchiveAtExit(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  private static void killSelf() {
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill command: halt, writing the archive
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
