package io.windowpane.testing;

import io.windowpane.launch.ProcessState;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Waiting for processes the test did not start itself (the application's child JVM) to end. */
public final class Processes {

  private Processes() {}

  /**
   * Waits until the process has ended: gone, or a zombie ({@link ProcessState}). {@link ProcessHandle#onExit()} would
   * wait for the system's init to reap a killed process's orphaned child, which takes a second or more here.
   */
  public static void awaitEnded(ProcessHandle process, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ProcessState.isRunning(process)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("process " + process.pid() + " still running after " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
