package io.windowpane.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. Java's {@link ProcessHandle#isAlive()} counts a zombie (a process that has ended but
 * not been reaped yet) as alive; a killed process's child is reaped by the system's init, which can take seconds (a
 * VM agent as PID 1 took 1.3-1.5 s), and in that time it neither runs nor uses its files again.
 */
public final class ProcessState {

  private ProcessState() {}

  public static boolean isRunning(ProcessHandle process) {
    return process.isAlive() && !isZombie(process.pid());
  }

  public static boolean isRunning(long pid) {
    return ProcessHandle.of(pid).map(ProcessState::isRunning).orElse(false);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (command) state ...: the command may hold spaces and parentheses; the state follows the last ')'
      return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return false; // no /proc (not Linux), or gone already: isAlive() decides
    }
  }
}
