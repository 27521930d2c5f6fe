package io.windowpane.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code java -jar target/app.jar}) in a process group of its own, as a service manager starts
 * it: a test can kill the whole group with SIGKILL (a crashed host, the out-of-memory killer) without touching its
 * own JVM, or stop it with SIGTERM.
 */
public final class JarProcess {

  private final Process process;
  private final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the jar in {@code dir} with {@code setsid}, stdout and stderr into {@code log}, its temporary files in
   * {@code dir/tmp} (a killed JVM leaves its own behind).
   */
  public static JarProcess start(Path dir, Path log, List<String> args) throws IOException {
    return start(dir, log, args, java.util.Map.of());
  }

  /** The same with more environment variables (such as {@code WINDOWPANE_MAX_HEAP}). */
  public static JarProcess start(Path dir, Path log, List<String> args, java.util.Map<String, String> env)
      throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> command = new ArrayList<>(List.of("setsid",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + tmp, "-jar",
        Path.of("target", "app.jar").toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    return new JarProcess(process, log);
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The HTTP port the application chose ({@code --server.port=0}), read from its log once its web server has
   * started: no port is picked ahead and found taken by the time the application binds it.
   */
  public int port(Duration timeout) throws Exception {
    Pattern started = Pattern.compile("Pane diagram on http://localhost:(\\d+)/");
    int[] port = {0};
    Await.until("the application's web server", timeout, () -> {
      Matcher matcher = started.matcher(log());
      if (matcher.find()) {
        port[0] = Integer.parseInt(matcher.group(1));
        return true;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the application ended with " + process.exitValue() + ":\n" + log());
      }
      return false;
    });
    return port[0];
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** SIGKILL to every process of the group, then waits until they are all gone. */
  public void killGroup() throws Exception {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    signalGroup("-KILL");
    for (ProcessHandle handle : all) {
      Processes.awaitEnded(handle, Duration.ofSeconds(30));
    }
  }

  /** SIGTERM to the process the user started (as {@code kill <pid>}, {@code docker stop} or Kubernetes send it). */
  public void terminate() {
    process.destroy();
  }

  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The processes this one started (the heap-capped child JVM). */
  public List<ProcessHandle> children() {
    return process.children().toList();
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Kills what is left, for clean-up after a failed test. */
  public void destroyGroup() {
    try {
      if (process.isAlive() || process.descendants().findAny().isPresent()) {
        signalGroup("-KILL");
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }

  private void signalGroup(String signal) throws IOException, InterruptedException {
    // setsid made the jar's JVM the leader of a new process group whose id is its pid
    Process kill = new ProcessBuilder("kill", signal, "--", "-" + process.pid()).inheritIO().start();
    kill.waitFor(10, TimeUnit.SECONDS);
  }
}
