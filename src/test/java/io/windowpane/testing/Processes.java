package io.windowpane.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Waiting for processes the test did not start itself (the application's child JVM) to end. */
public final class Processes {

  private Processes() {}

  /**
   * Waits until the process has ended: gone, or a zombie. A process whose parent was killed is reaped by the
   * system's init, which here (a VM agent as PID 1) takes a second or more, longer on a busy machine; until then Java
   * sees it as alive ({@link ProcessHandle#isAlive()} and {@link ProcessHandle#onExit()} do not tell a zombie from a
   * running process), although it has ended and holds nothing but its process table entry.
   */
  public static void awaitEnded(ProcessHandle process, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && !isZombie(process.pid())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("process " + process.pid() + " still running after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (command) state ...: the command may hold spaces and parentheses, the state follows the last ')'
      return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return false; // no /proc (not Linux) or already gone: isAlive() decides
    }
  }
}
